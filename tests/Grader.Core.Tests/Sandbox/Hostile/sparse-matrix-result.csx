// A 65536×65536 sparse matrix costs nothing to build, but rows × columns overflows an int.
// verdict: Graded
// case: Mean Passed
// case: Scale RuntimeError ResultTooLarge
// message: too large
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => Matrix<double>.Build.Sparse(65536, 65536);
