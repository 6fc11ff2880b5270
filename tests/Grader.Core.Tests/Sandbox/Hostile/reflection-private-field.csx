// Reads private state through GetType().GetField(..., NonPublic).
// verdict: Rejected
// diagnostic: GetType
// on: GetType()
// needs: allowlist
using System.Reflection;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var field = Console.Out.GetType().GetField("_out", BindingFlags.NonPublic | BindingFlags.Instance);
    return field is null ? 0 : 1;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
