// stackalloc outside unsafe code.
// verdict: Rejected
// diagnostic: stackalloc
// on: stackalloc
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Span<double> copy = stackalloc double[xs.Length];
    xs.CopyTo(copy);
    double s = 0;
    foreach (var x in copy) s += x;
    return s / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
