// Mean averages each data point (column) over its dimensions instead of each dimension (row)
// over the data points: rows and columns swapped, an N×1 result. Cov builds on Mean, so it
// throws on every non-square input and fails too.
// expect-score: 65
// expect-message: one mean per row (dimension), averaged over the columns
// expect-message: Centre each row on its mean
using MathNet.Numerics.LinearAlgebra;

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

Matrix<double> Mean(Matrix<double> X)
{
    var ones = Matrix<double>.Build.Dense(X.RowCount, 1, 1.0);
    return X.Transpose() * ones / X.RowCount;
}

Matrix<double> Cov(Matrix<double> X)
{
    int N = X.ColumnCount;
    var centred = X - Mean(X) * Matrix<double>.Build.Dense(1, N, 1.0);
    return centred * centred.Transpose() / N;
}

Matrix<double> AffineMean(Matrix<double> mean, Matrix<double> A, Matrix<double> b) => A * mean + b;

Matrix<double> AffineCovariance(Matrix<double> S, Matrix<double> A, Matrix<double> b) => A * S * A.Transpose();
