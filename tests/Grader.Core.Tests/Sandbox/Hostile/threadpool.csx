// A thread-pool work item queued for later.
// verdict: Rejected
// diagnostic: ThreadPool
// on: ThreadPool.
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    System.Threading.ThreadPool.QueueUserWorkItem(_ => { while (true) { } });
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
