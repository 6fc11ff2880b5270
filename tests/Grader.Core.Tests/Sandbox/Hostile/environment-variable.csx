// Reads the environment, looking for the host's secrets.
// verdict: Rejected
// diagnostic: Environment
// on: Environment.GetEnvironmentVariable
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Console.WriteLine(Environment.GetEnvironmentVariable("ConnectionStrings__Grader"));
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
