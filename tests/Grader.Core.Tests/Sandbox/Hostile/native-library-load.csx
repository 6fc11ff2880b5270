// Loads a native library and looks up a libc function, without the unsafe keyword.
// verdict: Rejected or CompileError
// diagnostic: NativeLibrary
// on: NativeLibrary.Load
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var libc = System.Runtime.InteropServices.NativeLibrary.Load("libc.so.6");
    return System.Runtime.InteropServices.NativeLibrary.GetExport(libc, "system") == 0 ? 0 : xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
