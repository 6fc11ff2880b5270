// Step multiplies by the transpose of P (X·P instead of P·X), mixing up where a surfer comes from
// and where they go; Iterate inherits the mistake.
// expect-score: 90
// expect-message: Multiply P on the left of X
using MathNet.Numerics.LinearAlgebra;

// Exercise 1
Matrix<double> ReflectionYAxis() => Matrix<double>.Build.DenseOfArray(new double[,] { { -1, 0 }, { 0, 1 } });

// Eigenvalues (real parts; the matrices graded here have real eigenvalues) and unit eigenvectors in the columns.
(double[] values, Matrix<double> vectors) Eig(Matrix<double> A)
{
    var evd = A.Evd();
    var values = evd.EigenValues.Select(z => z.Real).ToArray();
    var vectors = evd.EigenVectors.Clone();
    for (int j = 0; j < vectors.ColumnCount; j++)
    {
        vectors.SetColumn(j, vectors.Column(j).Normalize(2));
    }
    return (values, vectors);
}

// Exercise 2
Matrix<double> ShearX(double k) => Matrix<double>.Build.DenseOfArray(new double[,] { { 1, k }, { 0, 1 } });

// The number of independent eigenvectors for the eigenvalue lambda: n − rank(A − λI).
int CountEigenDirections(Matrix<double> A, double lambda)
{
    var shifted = A - lambda * Matrix<double>.Build.DenseIdentity(A.RowCount);
    return A.RowCount - shifted.Rank();
}

// Exercise 3: no self-links; every column divided by its sum; a page without links goes anywhere else uniformly.
Matrix<double> BuildMarkovMatrix(Matrix<double> links)
{
    int n = links.RowCount;
    var P = links.Clone();
    for (int j = 0; j < n; j++)
    {
        P[j, j] = 0;
        double total = P.Column(j).Sum();
        for (int i = 0; i < n; i++)
        {
            P[i, j] = total > 0 ? P[i, j] / total : (i == j ? 0 : 1.0 / (n - 1));
        }
    }
    return P;
}

Vector<double> Step(Matrix<double> P, Vector<double> X) => X * P;

Vector<double> Iterate(Matrix<double> P, Vector<double> X0, int steps)
{
    var X = X0;
    for (int t = 0; t < steps; t++)
    {
        X = Step(P, X);
    }
    return X;
}

// Exercise 4
Vector<double> CheckEigenvector(Matrix<double> P, Vector<double> Xinf) => P * Xinf;

// Exercise 5: pick the eigenvector whose eigenvalue is 1 (not simply the first column) and scale it to sum 1.
Vector<double> StationaryDistribution(Matrix<double> P)
{
    var evd = P.Evd();
    int best = 0;
    for (int j = 1; j < P.RowCount; j++)
    {
        if ((evd.EigenValues[j] - 1).Magnitude < (evd.EigenValues[best] - 1).Magnitude)
        {
            best = j;
        }
    }
    var v = evd.EigenVectors.Column(best);
    return v / v.Sum();
}
