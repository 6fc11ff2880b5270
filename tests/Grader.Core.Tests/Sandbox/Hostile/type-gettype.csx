// Looks up System.IO.File by name.
// verdict: Rejected
// diagnostic: GetType
// on: Type.GetType
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => Type.GetType("System.IO.File") is null ? 0 : xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
