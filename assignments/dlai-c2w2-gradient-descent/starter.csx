using System;
using System.Globalization;
using System.Linq;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the TV and Sales columns of the CSV text (its lines, header first).
(double[] tv, double[] sales) ParseAdvertising(string[] lines)
{
    throw new NotImplementedException();
}

// Exercise 2: the predictions m·x + b of a line.
double[] PredLine(double m, double b, double[] X)
{
    throw new NotImplementedException();
}

// Exercise 3: least squares with the library.
(double slope, double intercept) FitLine(double[] X, double[] Y)
{
    throw new NotImplementedException();
}

// Exercise 4: predictions of a fitted model as an n×1 column.
Matrix<double> PredColumn(double[] X, (double slope, double intercept) model)
{
    throw new NotImplementedException();
}

// Exercise 5: the cost E(m, b) and its partial derivatives.
double Cost(double m, double b, double[] X, double[] Y)
{
    throw new NotImplementedException();
}

double DEdm(double m, double b, double[] X, double[] Y)
{
    throw new NotImplementedException();
}

double DEdb(double m, double b, double[] X, double[] Y)
{
    throw new NotImplementedException();
}

// Exercise 6: z-scores, and gradient descent from (m, b).
(double[] normalized, double mean, double std) Normalize(double[] v)
{
    throw new NotImplementedException();
}

(double m, double b) GradientDescent(double m, double b, double[] X, double[] Y, double learningRate, int numIterations)
{
    throw new NotImplementedException();
}
