// Enumerable.Range(0, int.MaxValue).ToList() asks for 8 GB at once.
// verdict: Graded
// fallback: yes
// case: Mean MemoryLimit
// case: Scale Passed
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => Enumerable.Range(0, int.MaxValue).ToList().Count * 0 + xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
