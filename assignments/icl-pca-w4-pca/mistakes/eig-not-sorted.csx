// Eig returns MathNet's eigen-decomposition as it comes, in ascending order. Every pair is
// right, but the principal values, components and both reconstructions then use the
// SMALLEST eigenvalues.
// expect-score: 57.12
// expect-message: in descending order: the variance of the data along each principal component
// expect-message: eigenvectors of its LARGEST eigenvalues
using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

// Data sets are N×D matrices: each ROW is one data point.

// Exercise 1: centre every column and divide it by its population standard deviation;
// a column with standard deviation 0 is divided by 1 instead, but its returned std stays 0.
(Matrix<double> Xbar, Vector<double> mean, Vector<double> std) Normalize(Matrix<double> X)
{
    int N = X.RowCount, D = X.ColumnCount;
    var mean = X.ColumnSums() / N;
    var std = Vector<double>.Build.Dense(D);
    for (int d = 0; d < D; d++)
    {
        var centred = X.Column(d) - mean[d];
        std[d] = Math.Sqrt(centred.DotProduct(centred) / N);
    }
    var Xbar = Matrix<double>.Build.Dense(N, D, (i, j) => (X[i, j] - mean[j]) / (std[j] == 0 ? 1.0 : std[j]));
    return (Xbar, mean, std);
}

// Exercise 2: eigenvalues in descending order, eigenvectors (unit length) as the columns in the same order.
(Vector<double> eigvals, Matrix<double> eigvecs) Eig(Matrix<double> S)
{
    var evd = S.Evd(Symmetricity.Symmetric);
    var values = evd.EigenValues.Map(z => z.Real);
    var order = Enumerable.Range(0, values.Count).ToArray();
    var eigvals = Vector<double>.Build.Dense(order.Length, k => values[order[k]]);
    var eigvecs = Matrix<double>.Build.DenseOfColumnVectors(order.Select(i => evd.EigenVectors.Column(i)));
    return (eigvals, eigvecs);
}

// Exercise 3: projection onto the span of the columns of B; the pseudo-inverse copes with dependent columns.
Matrix<double> ProjectionMatrix(Matrix<double> B)
{
    var Bt = B.Transpose();
    return B * (Bt * B).PseudoInverse() * Bt;
}

// Exercise 4: the data covariance of centred data, its top eigenpairs, and the PCA reconstruction.
Matrix<double> Covariance(Matrix<double> X) => X.Transpose() * X / X.RowCount;

Vector<double> PrincipalValues(Matrix<double> X, int numComponents)
{
    var (eigvals, _) = Eig(Covariance(X));
    return eigvals.SubVector(0, numComponents);
}

Matrix<double> PrincipalComponents(Matrix<double> X, int numComponents)
{
    var (_, eigvecs) = Eig(Covariance(X));
    return eigvecs.SubMatrix(0, eigvecs.RowCount, 0, numComponents);
}

Matrix<double> Pca(Matrix<double> X, int numComponents)
{
    var P = ProjectionMatrix(PrincipalComponents(X, numComponents));
    return (P * X.Transpose()).Transpose();
}

// Exercise 5: the same reconstruction from the N×N matrix X·Xᵀ/N, for N much smaller than D.
Matrix<double> PcaHighDim(Matrix<double> X, int numComponents)
{
    int N = X.RowCount;
    var M = X * X.Transpose() / N;
    var (_, V) = Eig(M);
    var U = X.Transpose() * V.SubMatrix(0, N, 0, numComponents);
    var P = ProjectionMatrix(U);
    return (P * X.Transpose()).Transpose();
}
