using System;
using System.Linq;

// Exercise 1: two functions of one variable and their derivatives.
double F1(double x) => Math.Exp(x) - Math.Log(x);

double Dfdx1(double x) => Math.Exp(x) - 1 / x;

double F2(double x) => (Math.Exp(x) - Math.Log(x)) * Math.Sin(2 * Math.PI * x);

double Dfdx2(double x) =>
    (Math.Exp(x) - 1 / x) * Math.Sin(2 * Math.PI * x)
    + (Math.Exp(x) - Math.Log(x)) * Math.Cos(2 * Math.PI * x) * 2 * Math.PI;

// Exercise 2: gradient descent in one variable.
double GradientDescent(Func<double, double> dfdx, double x, double learningRate, int numIterations)
{
    for (int i = 0; i < numIterations; i++)
        x = x - learningRate * dfdx(x);
    return x;
}

// Exercise 3: a function of two variables and its partial derivatives.
double F3(double x, double y) =>
    85 + 0.1 * (-1.0 / 9 * (x - 6) * x * x * y * y * y + 2.0 / 3 * (x - 6) * x * x * y * y);

double Dfdx3(double x, double y) => 0.1 / 3 * x * y * y * (2 - y / 3) * (3 * x - 12);

double Dfdy3(double x, double y) => 0.1 / 3 * (x - 6) * x * x * y * (4 - y);

// Exercise 4: gradient descent in two variables, both coordinates updated from the old point.
(double x, double y) GradientDescent2D(Func<double, double, double> dfdx, Func<double, double, double> dfdy,
    double x, double y, double learningRate, int numIterations)
{
    for (int i = 0; i < numIterations; i++)
    {
        double gx = dfdx(x, y), gy = dfdy(x, y);
        x -= learningRate * gx;
        y -= learningRate * gy;
    }
    return (x, y);
}

// Exercise 5: run from several starting points and keep the best end point.
double BestMinimum(Func<double, double> f, Func<double, double> dfdx, double[] starts, double learningRate, int numIterations)
{
    double best = double.NaN, bestValue = double.PositiveInfinity;
    foreach (var start in starts)
    {
        double x = GradientDescent(dfdx, start, learningRate, numIterations);
        double value = f(x);
        if (value < bestValue) { best = x; bestValue = value; }
    }
    return best;
}
