// Environment.FailFast kills the process without running any handler.
// verdict: Rejected
// diagnostic: Environment
// on: Environment.FailFast
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Environment.FailFast("HOSTILE");
    return 0;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
