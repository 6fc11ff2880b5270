// Flips runtime switches.
// verdict: Rejected
// diagnostic: AppContext
// on: AppContext.SetSwitch
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    AppContext.SetSwitch("System.Globalization.Invariant", false);
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
