// Unbounded recursion overflows the stack, which no catch can stop: the runner dies.
// verdict: Graded
// case: Mean RuntimeError StackOverflow
// case: Scale Passed
// message: overflowed the stack
// fallback: yes
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => 1 + Mean(xs);

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
