// Expression trees compiled at run time.
// verdict: Rejected or CompileError
// diagnostic: Expression
// on: Expression.Lambda
// needs: allowlist
using System.Linq.Expressions;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var f = (Func<double>)Expression.Lambda(Expression.Constant(xs.Sum() / xs.Length)).Compile();
    return f();
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
