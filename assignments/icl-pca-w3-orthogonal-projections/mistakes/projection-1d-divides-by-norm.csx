// ProjectionMatrix1d divides b·bᵀ by the length ‖b‖ instead of the squared length ‖b‖²,
// so P scales with the length of b. Project1d builds on it and goes wrong too.
// expect-score: 73.71
// expect-message: divided by the SQUARED norm
// expect-message: Divide by the squared length of b, not by its length
using MathNet.Numerics.LinearAlgebra;

// Vectors are column vectors: D×1 matrices.

// Exercise 1: projection onto the line spanned by b: P = b·bᵀ / (bᵀ·b).
Matrix<double> ProjectionMatrix1d(Matrix<double> b)
{
    double norm = Math.Sqrt((b.Transpose() * b)[0, 0]);
    return b * b.Transpose() / norm;
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
