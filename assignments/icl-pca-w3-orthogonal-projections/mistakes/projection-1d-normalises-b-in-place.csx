// ProjectionMatrix1d normalises b in place (b /= ‖b‖) and returns b·bᵀ: the values are right,
// but the caller's vector is modified.
// expect-score: 97.14
// expect-message: argument 0 was modified by the call
// expect-message: do not normalise b in place
using MathNet.Numerics.LinearAlgebra;

// Vectors are column vectors: D×1 matrices.

// Exercise 1: projection onto the line spanned by b: P = b·bᵀ / (bᵀ·b).
Matrix<double> ProjectionMatrix1d(Matrix<double> b)
{
    double norm = Math.Sqrt((b.Transpose() * b)[0, 0]);
    b.Divide(norm, b);
    return b * b.Transpose();
}

// Exercise 2: the projected point P·x.
Matrix<double> Project1d(Matrix<double> x, Matrix<double> b) => ProjectionMatrix1d(b) * x;

// Exercise 3: projection onto the span of the columns of B: P = B·(BᵀB)⁻¹·Bᵀ.
Matrix<double> ProjectionMatrixGeneral(Matrix<double> B)
{
    var Bt = B.Transpose();
    return B * (Bt * B).Inverse() * Bt;
}

// Exercise 4: the projected point P·x.
Matrix<double> ProjectGeneral(Matrix<double> x, Matrix<double> B) => ProjectionMatrixGeneral(B) * x;

// Exercise 5: least squares through the normal equations (XᵀX)·θ = Xᵀy.
Matrix<double> LeastSquares(Matrix<double> X, Matrix<double> y)
{
    var Xt = X.Transpose();
    return (Xt * X).Solve(Xt * y);
}
