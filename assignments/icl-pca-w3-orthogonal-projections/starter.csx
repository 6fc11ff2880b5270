using System;
using MathNet.Numerics.LinearAlgebra;

// Vectors are column vectors: D×1 matrices.

// Exercise 1: the D×D matrix that projects onto the line spanned by b (D×1).
Matrix<double> ProjectionMatrix1d(Matrix<double> b)
{
    throw new NotImplementedException();
}

// Exercise 2: the orthogonal projection of x (D×1) onto the line spanned by b, as a D×1 matrix.
Matrix<double> Project1d(Matrix<double> x, Matrix<double> b)
{
    throw new NotImplementedException();
}

// Exercise 3: the D×D matrix that projects onto the subspace spanned by the M columns of B (D×M).
Matrix<double> ProjectionMatrixGeneral(Matrix<double> B)
{
    throw new NotImplementedException();
}

// Exercise 4: the orthogonal projection of x (D×1) onto the span of the columns of B, as a D×1 matrix.
Matrix<double> ProjectGeneral(Matrix<double> x, Matrix<double> B)
{
    throw new NotImplementedException();
}

// Exercise 5: the least-squares parameters θ (K×1) for the N×K inputs X and the N×1 targets y.
Matrix<double> LeastSquares(Matrix<double> X, Matrix<double> y)
{
    throw new NotImplementedException();
}
