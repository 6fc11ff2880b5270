// Type confusion without the unsafe keyword: a reference and a long overlap.
// verdict: Rejected
// diagnostic: StructLayout
// on: [StructLayout
// needs: allowlist
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;

[StructLayout(LayoutKind.Explicit)]
struct Confused
{
    [FieldOffset(0)] public double[] Array;
    [FieldOffset(0)] public string Text;
}

double Mean(double[] xs) => new Confused { Array = xs }.Text.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
