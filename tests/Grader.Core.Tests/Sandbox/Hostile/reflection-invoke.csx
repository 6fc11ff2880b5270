// Calls a method through reflection.
// verdict: Rejected
// diagnostic: GetMethod
// on: GetMethod
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => (double)typeof(Math).GetMethod("Sqrt")!.Invoke(null, [xs.Sum()])!;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
