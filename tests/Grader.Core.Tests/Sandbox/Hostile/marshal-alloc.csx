// Native memory through Marshal.AllocHGlobal.
// verdict: Rejected
// diagnostic: Marshal
// on: Marshal.
// needs: allowlist
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var p = Marshal.AllocHGlobal(1 << 30);
    Marshal.WriteByte(p, 1);
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
