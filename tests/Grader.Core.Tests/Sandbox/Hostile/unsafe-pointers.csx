// unsafe code with pointers and fixed.
// verdict: Rejected or CompileError
// diagnostic: unsafe
// on: unsafe double
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

unsafe double Mean(double[] xs)
{
    fixed (double* p = xs)
    {
        *(p + 100_000) = 1;
        return p[0];
    }
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
