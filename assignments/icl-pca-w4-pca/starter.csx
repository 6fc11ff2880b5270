using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

// Data sets are N×D matrices: each ROW is one data point.

// Exercise 1: standardise every column (population std); a column with std 0 is divided by 1,
// and its returned std stays 0. X must stay as it was.
(Matrix<double> Xbar, Vector<double> mean, Vector<double> std) Normalize(Matrix<double> X)
{
    throw new NotImplementedException();
}

// Exercise 2: the eigenvalues of the symmetric matrix S in descending order, and the matching
// unit eigenvectors as the columns of eigvecs, in the same order.
(Vector<double> eigvals, Matrix<double> eigvecs) Eig(Matrix<double> S)
{
    throw new NotImplementedException();
}

// Exercise 3: the D×D matrix that projects onto the span of the columns of B (which may be dependent).
Matrix<double> ProjectionMatrix(Matrix<double> B)
{
    throw new NotImplementedException();
}

// Exercise 4: for centred data X (N×D) with covariance S = XᵀX/N:
// the numComponents largest eigenvalues of S, in descending order,
Vector<double> PrincipalValues(Matrix<double> X, int numComponents)
{
    throw new NotImplementedException();
}

// the matching unit eigenvectors as the columns of a D×numComponents matrix,
Matrix<double> PrincipalComponents(Matrix<double> X, int numComponents)
{
    throw new NotImplementedException();
}

// and the N×D reconstruction of X from those components.
Matrix<double> Pca(Matrix<double> X, int numComponents)
{
    throw new NotImplementedException();
}

// Exercise 5: the same reconstruction, computed from the N×N matrix X·Xᵀ/N (for N much smaller than D).
Matrix<double> PcaHighDim(Matrix<double> X, int numComponents)
{
    throw new NotImplementedException();
}
