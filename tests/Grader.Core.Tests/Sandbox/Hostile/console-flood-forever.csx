// Console output that never stops: the cap drops it, the deadline ends it.
// verdict: Graded
// fallback: yes
// case: Mean Passed
// case: Scale Timeout
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k)
{
    while (true)
    {
        Console.Write("HOSTILE output flood ");
    }
}
