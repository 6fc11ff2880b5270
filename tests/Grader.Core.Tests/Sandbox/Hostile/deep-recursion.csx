// Recursion on purpose: 10 000 levels are fine, 100 million are not.
// verdict: Graded
// fallback: yes
// case: Mean Passed
// case: Scale RuntimeError StackOverflow
using MathNet.Numerics.LinearAlgebra;

double SumFrom(double[] xs, int i) => i == xs.Length ? 0 : xs[i] + SumFrom(xs, i + 1);

int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1);

double Mean(double[] xs)
{
    if (Depth(10_000) != 10_000)
    {
        return double.NaN;
    }
    return SumFrom(xs, 0) / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * (k + Depth(100_000_000) * 0);
