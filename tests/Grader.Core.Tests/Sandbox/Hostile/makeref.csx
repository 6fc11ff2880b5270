// __makeref and __refvalue: undocumented type-unsafe keywords.
// verdict: Rejected
// diagnostic: __makeref
// on: __makeref
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var r = __makeref(xs);
    return __refvalue(r, double[]).Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
