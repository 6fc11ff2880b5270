// Writes a file.
// verdict: Rejected
// diagnostic: File
// on: File.WriteAllText
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    System.IO.File.WriteAllText("hostile.txt", "HOSTILE");
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
