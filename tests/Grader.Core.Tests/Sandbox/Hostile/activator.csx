// Creates an object of a type named by a string.
// verdict: Rejected
// diagnostic: Activator
// on: Activator.
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => Activator.CreateInstance(typeof(Random)) is null ? 0 : xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
