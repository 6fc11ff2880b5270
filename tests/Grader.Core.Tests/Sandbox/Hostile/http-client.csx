// Opens an HTTP client.
// verdict: Rejected or CompileError
// diagnostic: System.Net
// on: HttpClient
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    using var client = new System.Net.Http.HttpClient();
    return client.GetStringAsync("http://example.com/").Result.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
