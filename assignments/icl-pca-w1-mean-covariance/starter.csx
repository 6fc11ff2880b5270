using System;
using MathNet.Numerics.LinearAlgebra;

// Data sets are D×N matrices: each COLUMN is one data point, each ROW one dimension.

// Exercise 1: the D×1 mean, computed with explicit loops over the entries of X.
Matrix<double> MeanNaive(Matrix<double> X)
{
    throw new NotImplementedException();
}

// Exercise 2: the D×D population covariance (divide by N), computed with explicit loops.
Matrix<double> CovNaive(Matrix<double> X)
{
    throw new NotImplementedException();
}

// Exercise 3: the D×1 mean, computed with matrix operations (no loops over data points).
Matrix<double> Mean(Matrix<double> X)
{
    throw new NotImplementedException();
}

// Exercise 4: the D×D population covariance, computed with matrix operations. X must stay as it was.
Matrix<double> Cov(Matrix<double> X)
{
    throw new NotImplementedException();
}

// Exercise 5: the mean of the data set after every point x is replaced by A·x + b.
Matrix<double> AffineMean(Matrix<double> mean, Matrix<double> A, Matrix<double> b)
{
    throw new NotImplementedException();
}

// Exercise 6: the covariance of the data set after every point x is replaced by A·x + b.
Matrix<double> AffineCovariance(Matrix<double> S, Matrix<double> A, Matrix<double> b)
{
    throw new NotImplementedException();
}
