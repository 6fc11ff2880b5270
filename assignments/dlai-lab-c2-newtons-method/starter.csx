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
