using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: f(x) = e^x − ln x and its first and second derivatives.
double F(double x)
{
    throw new NotImplementedException();
}

double Dfdx(double x)
{
    throw new NotImplementedException();
}

double D2fdx2(double x)
{
    throw new NotImplementedException();
}

// Exercise 2: numIterations Newton steps x ← x − f'(x)/f''(x).
double NewtonsMethod(Func<double, double> dfdx, Func<double, double> d2fdx2, double x, int numIterations)
{
    throw new NotImplementedException();
}

// Exercise 3: f2(x, y) = x⁴ + 0.8·y⁴ + 4x² + 2y² − x·y − 0.2·x²·y at p = (x, y), its gradient and its Hessian.
double F2(Vector<double> p)
{
    throw new NotImplementedException();
}

Vector<double> GradF2(Vector<double> p)
{
    throw new NotImplementedException();
}

Matrix<double> HessianF2(Vector<double> p)
{
    throw new NotImplementedException();
}

// Exercise 4: numIterations Newton steps p ← p − H(p)⁻¹·∇f(p).
Vector<double> NewtonsMethod2D(Func<Vector<double>, Vector<double>> grad, Func<Vector<double>, Matrix<double>> hessian,
    Vector<double> p, int numIterations)
{
    throw new NotImplementedException();
}

// Exercise 5: iterate until a step is shorter than tol (or maxIterations steps); return the point and the step count.
(double x, int iterations) NewtonUntilConverged(Func<double, double> dfdx, Func<double, double> d2fdx2,
    double x, double tol, int maxIterations)
{
    throw new NotImplementedException();
}

(double x, int iterations) GradientDescentUntilConverged(Func<double, double> dfdx, double x, double learningRate,
    double tol, int maxIterations)
{
    throw new NotImplementedException();
}

// ---------------------------------------------------------------------------------------------
// Provided: the test problems by name, and the calls the grader makes. Do not change this part.
// ---------------------------------------------------------------------------------------------

(Func<double, double> dfdx, Func<double, double> d2fdx2) Problem1D(string name) => name switch
{
    "f" => (Dfdx, D2fdx2),
    // q(x) = 2·(x − 1.5)²: a parabola.
    "quadratic" => (x => 4 * (x - 1.5), x => 4),
    // g(x) = x⁴ − 3x² + x: two valleys with a hill between them.
    "quartic" => (x => 4 * x * x * x - 6 * x + 1, x => 12 * x * x - 6),
    _ => throw new ArgumentException($"unknown problem '{name}'"),
};

double RunNewtonsMethod(string problem, double x, int numIterations)
{
    var (dfdx, d2fdx2) = Problem1D(problem);
    return NewtonsMethod(dfdx, d2fdx2, x, numIterations);
}

(double x, int iterations) RunNewtonUntilConverged(string problem, double x, double tol, int maxIterations)
{
    var (dfdx, d2fdx2) = Problem1D(problem);
    return NewtonUntilConverged(dfdx, d2fdx2, x, tol, maxIterations);
}

(double x, int iterations) RunGradientDescentUntilConverged(string problem, double x, double learningRate, double tol, int maxIterations) =>
    GradientDescentUntilConverged(Problem1D(problem).dfdx, x, learningRate, tol, maxIterations);

(Func<Vector<double>, Vector<double>> grad, Func<Vector<double>, Matrix<double>> hessian) Problem2D(string name) => name switch
{
    "f2" => (GradF2, HessianF2),
    // b(x, y) = x² + x·y + 2y² − 3x: a tilted bowl.
    "bowl" => (p => Vector<double>.Build.DenseOfArray([2 * p[0] + p[1] - 3, p[0] + 4 * p[1]]),
               p => Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 1 }, { 1, 4 } })),
    _ => throw new ArgumentException($"unknown problem '{name}'"),
};

Vector<double> RunNewtonsMethod2D(string problem, Vector<double> p, int numIterations)
{
    var (grad, hessian) = Problem2D(problem);
    return NewtonsMethod2D(grad, hessian, p, numIterations);
}
