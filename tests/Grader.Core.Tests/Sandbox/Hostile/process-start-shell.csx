// Starts a shell.
// verdict: Rejected or CompileError
// diagnostic: Process
// on: Process.Start
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    System.Diagnostics.Process.Start("sh", "-c \"id > /tmp/hostile\"");
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
