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
// Problem1D(problem) (provided below) gives you f and its derivative.
double BestMinimum(string problem, double[] starts, double learningRate, int numIterations)
{
    throw new NotImplementedException();
}

// ---------------------------------------------------------------------------------------------
// Provided: the test problems by name, and the calls the grader makes. Do not change this part.
// ---------------------------------------------------------------------------------------------

(Func<double, double> f, Func<double, double> dfdx) Problem1D(string name) => name switch
{
    "f1" => (F1, Dfdx1),
    "f2" => (F2, Dfdx2),
    "parabola" => (x => (x - 3) * (x - 3), x => 2 * (x - 3)),
    _ => throw new ArgumentException($"unknown problem '{name}'"),
};

double RunGradientDescent(string problem, double x, double learningRate, int numIterations) =>
    GradientDescent(Problem1D(problem).dfdx, x, learningRate, numIterations);

(Func<double, double, double> dfdx, Func<double, double, double> dfdy) Problem2D(string name) => name switch
{
    "f3" => (Dfdx3, Dfdy3),
    // Two valleys: f4(x, y) = (x² − 1)² + 0.3·x + y², deeper near x = −1 than near x = 1.
    "f4" => ((x, y) => 4 * x * (x * x - 1) + 0.3, (x, y) => 2 * y),
    // A tilted bowl: bowl(x, y) = x² + x·y + y².
    "bowl" => ((x, y) => 2 * x + y, (x, y) => x + 2 * y),
    _ => throw new ArgumentException($"unknown problem '{name}'"),
};

(double x, double y) RunGradientDescent2D(string problem, double x, double y, double learningRate, int numIterations)
{
    var (dfdx, dfdy) = Problem2D(problem);
    return GradientDescent2D(dfdx, dfdy, x, y, learningRate, numIterations);
}
