// Millions of small arrays that all stay reachable (near the heap limit the GC may thrash until the deadline).
// verdict: Graded
// case: Mean Passed
// case: Scale MemoryLimit|Timeout
// message: memory limit
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k)
{
    var keep = new List<double[]>();
    while (true)
    {
        keep.Add(new double[128]);
    }
}
