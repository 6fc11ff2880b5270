// Both functions wreck their inputs after computing the right answer; every call gets fresh inputs.
// verdict: Graded
// case: * Passed
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    double mean = xs.Sum() / xs.Length;
    Array.Fill(xs, double.NaN);
    return mean;
}

Matrix<double> Scale(Matrix<double> M, double k)
{
    var result = M * k;
    M.Clear();
    M[0, 0] = double.NaN;
    return result;
}
