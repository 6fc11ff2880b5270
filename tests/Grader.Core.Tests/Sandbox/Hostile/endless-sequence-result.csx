// A result that is an endless sequence of endless sequences.
// verdict: Graded
// case: Mean RuntimeError UnsupportedResult
// case: Scale Passed
// message: nested more than
using MathNet.Numerics.LinearAlgebra;

IEnumerable<object> Forever()
{
    while (true)
    {
        yield return Forever();
    }
}

IEnumerable<object> Mean(double[] xs) => Forever();

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
