// DEdm averages the errors without multiplying them by x (the formula of DEdb); gradient descent
// then walks in the wrong direction for m.
// expect-score: 75.62
// expect-message: each error is multiplied by its x
using System.Globalization;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the TV and Sales columns of the CSV text (header line first).
(double[] tv, double[] sales) ParseAdvertising(string[] lines)
{
    var rows = lines.Skip(1)
        .Where(line => line.Trim().Length > 0)
        .Select(line => line.Split(','))
        .ToArray();
    var tv = rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();
    var sales = rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
    return (tv, sales);
}

// Exercise 2
double[] PredLine(double m, double b, double[] X) => X.Select(x => m * x + b).ToArray();

// Exercise 3: ordinary least squares with an intercept.
(double slope, double intercept) FitLine(double[] X, double[] Y)
{
    var (intercept, slope) = Fit.Line(X, Y);
    return (slope, intercept);
}

// Exercise 4: predictions of a fitted model as an n×1 column.
Matrix<double> PredColumn(double[] X, (double slope, double intercept) model) =>
    Matrix<double>.Build.Dense(X.Length, 1, (i, j) => model.slope * X[i] + model.intercept);

// Exercise 5: E(m, b) = (1/2n)·Σ(m·x + b − y)² and its partial derivatives.
double Cost(double m, double b, double[] X, double[] Y)
{
    int n = X.Length;
    return Enumerable.Range(0, n).Sum(i => Math.Pow(m * X[i] + b - Y[i], 2)) / (2.0 * n);
}

double DEdm(double m, double b, double[] X, double[] Y)
{
    int n = X.Length;
    return Enumerable.Range(0, n).Sum(i => m * X[i] + b - Y[i]) / n;
}

double DEdb(double m, double b, double[] X, double[] Y)
{
    int n = X.Length;
    return Enumerable.Range(0, n).Sum(i => m * X[i] + b - Y[i]) / n;
}

// Exercise 6: z-scores with the population standard deviation, and gradient descent.
(double[] normalized, double mean, double std) Normalize(double[] v)
{
    double mean = v.Average();
    double std = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
    return (v.Select(x => (x - mean) / std).ToArray(), mean, std);
}

(double m, double b) GradientDescent(double m, double b, double[] X, double[] Y, double learningRate, int numIterations)
{
    for (int i = 0; i < numIterations; i++)
    {
        // Both partial derivatives at the current point, then both updates.
        double gm = DEdm(m, b, X, Y);
        double gb = DEdb(m, b, X, Y);
        m -= learningRate * gm;
        b -= learningRate * gb;
    }
    return (m, b);
}
