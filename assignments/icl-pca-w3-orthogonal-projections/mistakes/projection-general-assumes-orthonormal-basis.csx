// ProjectionMatrixGeneral returns B·Bᵀ, which is a projection only when the columns of B are
// orthonormal; the (BᵀB)⁻¹ in the middle is missing. ProjectGeneral inherits the error.
// expect-score: 59.17
// expect-message: B·Bᵀ alone is not a projection
// expect-message: Keep the factor (BᵀB)⁻¹
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
    return B * B.Transpose();
}

// Exercise 4: the projected point P·x.
Matrix<double> ProjectGeneral(Matrix<double> x, Matrix<double> B) => ProjectionMatrixGeneral(B) * x;

// Exercise 5: least squares through the normal equations (XᵀX)·θ = Xᵀy.
Matrix<double> LeastSquares(Matrix<double> X, Matrix<double> y)
{
    var Xt = X.Transpose();
    return (Xt * X).Solve(Xt * y);
}
