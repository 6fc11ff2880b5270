// AreaScaleFactor returns the determinant itself, which is negative for transformations that flip orientation.
// expect-score: 94.38
// expect-message: take the absolute value
using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the transformation T: R² → R³, T(v) = (3·v1, 0, −2·v2).
Vector<double> T(Vector<double> v) => Vector<double>.Build.DenseOfArray([3 * v[0], 0, -2 * v[1]]);

// Exercise 2: column j of the standard matrix is the image of the j-th basis vector.
Matrix<double> StandardMatrix(Matrix<double> basisImages) => basisImages.Transpose();

Matrix<double> MatrixOfT()
{
    var e1 = Vector<double>.Build.DenseOfArray([1, 0]);
    var e2 = Vector<double>.Build.DenseOfArray([0, 1]);
    return Matrix<double>.Build.DenseOfColumnVectors(T(e1), T(e2));
}

// Exercise 3: standard transformations of the plane.
Matrix<double> HorizontalScaling(double k) => Matrix<double>.Build.DenseOfArray(new double[,] { { k, 0 }, { 0, 1 } });

Matrix<double> ReflectionYAxis() => Matrix<double>.Build.DenseOfArray(new double[,] { { -1, 0 }, { 0, 1 } });

Matrix<double> Rotation(double theta) => Matrix<double>.Build.DenseOfArray(new double[,]
{
    { Math.Cos(theta), -Math.Sin(theta) },
    { Math.Sin(theta), Math.Cos(theta) },
});

Matrix<double> ShearX(double k) => Matrix<double>.Build.DenseOfArray(new double[,] { { 1, k }, { 0, 1 } });

// Exercise 4: transform every point (one point per column).
Matrix<double> TransformPoints(Matrix<double> A, Matrix<double> points) => A * points;

// Exercise 5: apply `first`, then `second`.
Matrix<double> Compose(Matrix<double> first, Matrix<double> second) => second * first;

// Exercise 6: how much the transformation scales areas.
double AreaScaleFactor(Matrix<double> A) => A.Determinant();
