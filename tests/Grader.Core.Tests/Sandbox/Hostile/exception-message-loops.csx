// An exception whose Message getter never returns: reading it must stay inside the deadline.
// verdict: Graded
// case: Mean Timeout
// case: Scale Passed
using MathNet.Numerics.LinearAlgebra;

class Stuck : Exception
{
    public override string Message
    {
        get
        {
            long i = 0;
            while (i >= 0) { i = (i + 1) % 7; }
            return "HOSTILE";
        }
    }
}

double Mean(double[] xs) => throw new Stuck();

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
