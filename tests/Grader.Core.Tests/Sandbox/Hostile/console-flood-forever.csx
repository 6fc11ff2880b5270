// Console output that never stops: the call is stopped when the cap is reached, long before its deadline.
// verdict: Graded
// fallback: yes
// case: Mean Passed
// case: Scale OutputLimit
// message: was stopped there
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k)
{
    while (true)
    {
        Console.Write("HOSTILE output flood ");
    }
}
