// #load reads any file the compiler can see, at compile time.
// verdict: Rejected
// diagnostic: #load
// on: #load
// needs: allowlist
#load "/etc/passwd"
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
