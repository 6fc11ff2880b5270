// Replaces the console writer the runner installed.
// verdict: Rejected
// diagnostic: SetOut
// on: Console.SetOut
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Console.SetOut(new System.IO.StringWriter());
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
