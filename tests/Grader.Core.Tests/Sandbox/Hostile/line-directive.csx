// #line makes diagnostics point at a file and line of the submission's choosing.
// verdict: Rejected
// diagnostic: #line
// on: #line
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

#line 1 "All tests passed"
double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
