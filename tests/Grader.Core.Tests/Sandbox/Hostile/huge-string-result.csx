// One 8-million-character string returned 16 times: a reply of over 128 MB to send back.
// verdict: Graded
// case: Mean RuntimeError ResultTooLarge
// case: Scale Passed
// message: too large
using MathNet.Numerics.LinearAlgebra;

List<string> Mean(double[] xs)
{
    var s = new string('7', 8_000_000);
    return Enumerable.Repeat(s, 16).ToList();
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
