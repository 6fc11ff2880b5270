// Environment.Exit(0) exits with code 0: a missing result is never a pass.
// verdict: Rejected
// diagnostic: Environment
// on: Environment.Exit
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Environment.Exit(0);
    return 0;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
