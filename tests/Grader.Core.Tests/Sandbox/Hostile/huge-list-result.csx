// A list of 30 million numbers: too many to check, refused before converting any.
// verdict: Graded
// case: Mean RuntimeError ResultTooLarge
// case: Scale Passed
// message: too large
using MathNet.Numerics.LinearAlgebra;

List<int> Mean(double[] xs) => Enumerable.Repeat(7, 30_000_000).ToList();

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
