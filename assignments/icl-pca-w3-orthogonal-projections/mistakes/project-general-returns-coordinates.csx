// ProjectGeneral returns the coordinates λ = (BᵀB)⁻¹Bᵀx of the projection with respect to the
// basis B (an M×1 matrix) instead of the projected point B·λ (D×1).
// expect-score: 75
// expect-message: not its coordinates
// expect-message: The result is D×1, the same shape as x
using MathNet.Numerics.LinearAlgebra;

// Vectors are column vectors: D×1 matrices.

// Exercise 1: projection onto the line spanned by b: P = b·bᵀ / (bᵀ·b).
Matrix<double> ProjectionMatrix1d(Matrix<double> b)
{
    double squaredNorm = (b.Transpose() * b)[0, 0];
    return b * b.Transpose() / squaredNorm;
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
Matrix<double> ProjectGeneral(Matrix<double> x, Matrix<double> B)
{
    var Bt = B.Transpose();
    return (Bt * B).Inverse() * Bt * x;
}

// Exercise 5: least squares through the normal equations (XᵀX)·θ = Xᵀy.
Matrix<double> LeastSquares(Matrix<double> X, Matrix<double> y)
{
    var Xt = X.Transpose();
    return (Xt * X).Solve(Xt * y);
}
