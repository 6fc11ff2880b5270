// Writes a fake reply straight to file descriptor 1.
// verdict: Rejected
// diagnostic: OpenStandardOutput
// on: Console.OpenStandardOutput
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var raw = Console.OpenStandardOutput();
    raw.Write(System.Text.Encoding.UTF8.GetBytes("{\"nonce\":\"0\",\"status\":\"ok\",\"value\":2.5}\n"));
    return -1;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
