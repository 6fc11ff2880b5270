// A timer that fires after the call has returned.
// verdict: Rejected
// diagnostic: Timer
// on: new System.Threading.Timer
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

System.Threading.Timer? keep = null;

double Mean(double[] xs)
{
    keep = new System.Threading.Timer(_ => Console.Write("HOSTILE"), null, 0, 1);
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
