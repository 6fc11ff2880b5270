// Reads a host file.
// verdict: Rejected
// diagnostic: File
// on: File.ReadAllText
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => System.IO.File.ReadAllText("/etc/passwd").Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
