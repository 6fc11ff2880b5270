// Parallel.For uses more threads than the one core a runner has.
// verdict: Rejected or CompileError
// diagnostic: Parallel
// on: Parallel.For
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    double[] parts = new double[xs.Length];
    System.Threading.Tasks.Parallel.For(0, xs.Length, i => parts[i] = xs[i]);
    return parts.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
