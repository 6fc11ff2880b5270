// Work left running on the thread pool after the call returns.
// verdict: Rejected
// diagnostic: Task
// on: Task.Run
// needs: allowlist
using System.Threading.Tasks;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Task.Run(() => { var keep = new List<double[]>(); while (true) keep.Add(new double[1000]); });
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
