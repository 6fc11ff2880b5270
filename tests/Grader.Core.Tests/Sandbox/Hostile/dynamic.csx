// dynamic binds at run time, past every compile-time check.
// verdict: Rejected
// diagnostic: dynamic
// on: dynamic d
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    dynamic d = xs;
    return d.Sum() / d.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
