using System;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    throw new NotImplementedException();
}

Matrix<double> Scale(Matrix<double> M, double k)
{
    throw new NotImplementedException();
}
