// The top-level statements throw, so no function can be called; the summary says so once.
// verdict: Graded
// case: * RuntimeError
// message: top-level code failed
using MathNet.Numerics.LinearAlgebra;

throw new InvalidOperationException("HOSTILE from the top level");

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
