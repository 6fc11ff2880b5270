using System;
using System.Linq;

// Exercise 1: f1(x) = e^x − ln x and f2(x) = (e^x − ln x)·sin(2πx), with their derivatives.
double F1(double x)
{
    throw new NotImplementedException();
}

double Dfdx1(double x)
{
    throw new NotImplementedException();
}

double F2(double x)
{
    throw new NotImplementedException();
}

double Dfdx2(double x)
{
    throw new NotImplementedException();
}

// Exercise 2: numIterations steps x ← x − learningRate·dfdx(x), from the given x.
double GradientDescent(Func<double, double> dfdx, double x, double learningRate, int numIterations)
{
    throw new NotImplementedException();
}

// Exercise 3: f3(x, y) = 85 + 0.1·(−(1/9)·(x − 6)·x²·y³ + (2/3)·(x − 6)·x²·y²) and its partial derivatives.
double F3(double x, double y)
{
    throw new NotImplementedException();
}

double Dfdx3(double x, double y)
{
    throw new NotImplementedException();
}

double Dfdy3(double x, double y)
{
    throw new NotImplementedException();
}

// Exercise 4: gradient descent in two variables; both partial derivatives at the old point.
(double x, double y) GradientDescent2D(Func<double, double, double> dfdx, Func<double, double, double> dfdy,
    double x, double y, double learningRate, int numIterations)
{
    throw new NotImplementedException();
}

// Exercise 5: gradient descent from every start; the end point with the smallest f.
double BestMinimum(Func<double, double> f, Func<double, double> dfdx, double[] starts, double learningRate, int numIterations)
{
    throw new NotImplementedException();
}
