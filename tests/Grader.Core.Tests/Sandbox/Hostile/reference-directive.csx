// #r loads an assembly chosen by the submission.
// verdict: Rejected
// diagnostic: #r
// on: #r
// needs: allowlist
#r "System.IO"
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => System.IO.File.ReadAllText("/etc/hostname").Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
