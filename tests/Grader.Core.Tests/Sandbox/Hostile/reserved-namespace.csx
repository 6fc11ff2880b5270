// Declares a type in a System namespace, where the runtime recognises attributes by name.
// verdict: Rejected or CompileError
// diagnostic: System
// on: namespace System
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

namespace System.Runtime.CompilerServices
{
    sealed class ModuleInitializerAttribute : Attribute { }
}

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
