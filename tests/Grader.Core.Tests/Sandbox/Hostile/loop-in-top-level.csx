// The top-level statements never finish, so no function can be called.
// verdict: Graded
// case: * Timeout
// message: top-level code
// fallback: yes
using MathNet.Numerics.LinearAlgebra;

long n = 0;
while (n >= 0)
{
    n = (n + 1) % 1000;
}

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
