// [UnsafeAccessor] reads a private field without reflection.
// verdict: Rejected
// diagnostic: UnsafeAccessor
// on: [System.Runtime.CompilerServices.UnsafeAccessor
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

static class Peek
{
    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = "_buffer")]
    internal static extern ref object Buffer(TextWriter writer);
}

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
