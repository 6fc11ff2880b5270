// One array of 800 MB, far over the 256 MiB limit.
// verdict: Graded
// case: Mean MemoryLimit
// case: Scale Passed
// message: memory limit
// fallback: yes
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var big = new double[100_000_000];
    big[^1] = xs.Sum();
    return big[^1] / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
