// Mean never returns; Scale is right. The loop must cost Mean's cases only.
// verdict: Graded
// case: Mean Timeout
// case: Scale Passed
// message: did not finish within
// fallback: yes
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    double s = 0;
    while (true)
    {
        s += xs[0];
    }
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
