// `return 42;` in the top-level code ends the script early; the functions still exist.
// verdict: Graded
// case: * Passed
using MathNet.Numerics.LinearAlgebra;

return 42;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
