// 1 MiB of console output per call against a 16 KiB cap, then the right answer.
// verdict: Graded
// case: Mean OutputLimit
// case: Scale Passed
// message: to the console
// fallback: yes
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var line = new string('x', 1023);
    for (int i = 0; i < 1024; i++)
    {
        Console.WriteLine(line);
    }
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
