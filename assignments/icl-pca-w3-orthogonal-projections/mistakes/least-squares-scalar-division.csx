// LeastSquares divides Xᵀy by the single number (XᵀX)[0, 0]: right for the course's one-column
// data, wrong as soon as X has several columns.
// expect-score: 92.5
// expect-message: do not divide by a single number
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
Matrix<double> ProjectGeneral(Matrix<double> x, Matrix<double> B) => ProjectionMatrixGeneral(B) * x;

// Exercise 5: least squares through the normal equations (XᵀX)·θ = Xᵀy.
Matrix<double> LeastSquares(Matrix<double> X, Matrix<double> y)
{
    var Xt = X.Transpose();
    return Xt * y / (Xt * X)[0, 0];
}
