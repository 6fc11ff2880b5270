// A module initializer runs when the assembly is loaded, before any case.
// verdict: Rejected
// diagnostic: ModuleInitializer
// on: [System.Runtime.CompilerServices.ModuleInitializer]
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

static class Early
{
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Run() => Console.WriteLine("HOSTILE");
}

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
