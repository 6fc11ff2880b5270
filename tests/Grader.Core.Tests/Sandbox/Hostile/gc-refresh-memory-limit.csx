// Lifts the GC heap hard limit at run time, then allocates past it.
// verdict: Rejected
// diagnostic: GC
// on: AppContext.SetData
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    AppContext.SetData("GCHeapHardLimit", (ulong)16 << 30);
    GC.RefreshMemoryLimit();
    GC.Collect();
    var big = new byte[900_000_000];
    return big.Length * 0 + xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
