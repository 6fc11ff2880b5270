// Cov forgets to subtract the mean: it returns X·Xᵀ/N, the second moment about the origin,
// which equals the covariance only for data that is already centred.
// expect-score: 82.86
// expect-message: Subtract the mean of each row before multiplying
using MathNet.Numerics.LinearAlgebra;

// Data sets are D×N matrices: each COLUMN is one data point, each ROW one dimension.

// Exercise 1: mean with explicit loops.
Matrix<double> MeanNaive(Matrix<double> X)
{
    int D = X.RowCount, N = X.ColumnCount;
    var mean = Matrix<double>.Build.Dense(D, 1);
    for (int d = 0; d < D; d++)
    {
        double sum = 0;
        for (int n = 0; n < N; n++)
            sum += X[d, n];
        mean[d, 0] = sum / N;
    }
    return mean;
}

// Exercise 2: population covariance (divide by N) with explicit loops.
Matrix<double> CovNaive(Matrix<double> X)
{
    int D = X.RowCount, N = X.ColumnCount;
    var mean = MeanNaive(X);
    var cov = Matrix<double>.Build.Dense(D, D);
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++)
        {
            double sum = 0;
            for (int n = 0; n < N; n++)
                sum += (X[i, n] - mean[i, 0]) * (X[j, n] - mean[j, 0]);
            cov[i, j] = sum / N;
        }
    return cov;
}

// Exercise 3: mean with matrix operations: X·1 / N.
Matrix<double> Mean(Matrix<double> X)
{
    var ones = Matrix<double>.Build.Dense(X.ColumnCount, 1, 1.0);
    return X * ones / X.ColumnCount;
}

// Exercise 4: covariance with matrix operations: (X − μ1ᵀ)(X − μ1ᵀ)ᵀ / N.
Matrix<double> Cov(Matrix<double> X)
{
    int N = X.ColumnCount;
    return X * X.Transpose() / N;
}

// Exercise 5: the mean of A·x + b.
Matrix<double> AffineMean(Matrix<double> mean, Matrix<double> A, Matrix<double> b) => A * mean + b;

// Exercise 6: the covariance of A·x + b; the shift b does not change it.
Matrix<double> AffineCovariance(Matrix<double> S, Matrix<double> A, Matrix<double> b) => A * S * A.Transpose();
