// The top-level statements throw, so every case fails the same way.
// verdict: Graded
// case: * RuntimeError System.InvalidOperationException
// message: threw System.InvalidOperationException
using MathNet.Numerics.LinearAlgebra;

throw new InvalidOperationException("HOSTILE from the top level");

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
