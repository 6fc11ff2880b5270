// NewtonsMethod2D multiplies the gradient by the Hessian instead of by its inverse.
// expect-score: 81.25
// expect-message: the step is H⁻¹·∇f, not H·∇f
using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: f(x) = e^x − ln x and its first two derivatives.
double F(double x) => Math.Exp(x) - Math.Log(x);

double Dfdx(double x) => Math.Exp(x) - 1 / x;

double D2fdx2(double x) => Math.Exp(x) + 1 / (x * x);

// Exercise 2: Newton's method in one variable.
double NewtonsMethod(Func<double, double> dfdx, Func<double, double> d2fdx2, double x, int numIterations)
{
    for (int i = 0; i < numIterations; i++)
        x = x - dfdx(x) / d2fdx2(x);
    return x;
}

// Exercise 3: f2(x, y) = x⁴ + 0.8·y⁴ + 4x² + 2y² − x·y − 0.2·x²·y, its gradient and Hessian.
double F2(Vector<double> p)
{
    double x = p[0], y = p[1];
    return Math.Pow(x, 4) + 0.8 * Math.Pow(y, 4) + 4 * x * x + 2 * y * y - x * y - 0.2 * x * x * y;
}

Vector<double> GradF2(Vector<double> p)
{
    double x = p[0], y = p[1];
    return Vector<double>.Build.DenseOfArray([
        4 * x * x * x + 8 * x - y - 0.4 * x * y,
        3.2 * y * y * y + 4 * y - x - 0.2 * x * x,
    ]);
}

Matrix<double> HessianF2(Vector<double> p)
{
    double x = p[0], y = p[1];
    return Matrix<double>.Build.DenseOfArray(new double[,]
    {
        { 12 * x * x + 8 - 0.4 * y, -1 - 0.4 * x },
        { -1 - 0.4 * x, 9.6 * y * y + 4 },
    });
}

// Exercise 4: Newton's method in two variables: p ← p − H(p)⁻¹·∇f(p), without forming the inverse.
Vector<double> NewtonsMethod2D(Func<Vector<double>, Vector<double>> grad, Func<Vector<double>, Matrix<double>> hessian,
    Vector<double> p, int numIterations)
{
    for (int i = 0; i < numIterations; i++)
        p = p - hessian(p) * grad(p);
    return p;
}

// Exercise 5: iterate until a step is shorter than tol; count the steps taken.
(double x, int iterations) NewtonUntilConverged(Func<double, double> dfdx, Func<double, double> d2fdx2,
    double x, double tol, int maxIterations)
{
    for (int i = 1; i <= maxIterations; i++)
    {
        double step = dfdx(x) / d2fdx2(x);
        x -= step;
        if (Math.Abs(step) < tol) return (x, i);
    }
    return (x, maxIterations);
}

(double x, int iterations) GradientDescentUntilConverged(Func<double, double> dfdx, double x, double learningRate,
    double tol, int maxIterations)
{
    for (int i = 1; i <= maxIterations; i++)
    {
        double step = learningRate * dfdx(x);
        x -= step;
        if (Math.Abs(step) < tol) return (x, i);
    }
    return (x, maxIterations);
}
