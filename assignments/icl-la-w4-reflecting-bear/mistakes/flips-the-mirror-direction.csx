// T_E = [[-1, 0], [0, 1]]: the reflection keeps the second basis vector and flips the first, i.e.
// it reflects in the line perpendicular to the mirror.
// expect-score: 56.67
// expect-message: the first basis vector (along the mirror) stays fixed
// expect-message: points on the mirror line must not move
using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the mirror's orthonormal basis (Gram–Schmidt on the two columns).
Matrix<double> MirrorBasis(Matrix<double> bearBasis)
{
    var E = bearBasis.Clone();
    E.SetColumn(0, E.Column(0) / E.Column(0).L2Norm());
    var second = E.Column(1) - E.Column(1).DotProduct(E.Column(0)) * E.Column(0);
    double norm = second.L2Norm();
    E.SetColumn(1, norm > 1e-14 ? second / norm : Vector<double>.Build.Dense(2));
    return E;
}

// Exercise 2: coordinates of the points (columns) in the mirror's frame, E⁻¹·P = Eᵀ·P.
Matrix<double> ToMirrorFrame(Matrix<double> bearBasis, Matrix<double> points)
{
    var E = MirrorBasis(bearBasis);
    return E.Transpose() * points;
}

// Exercise 3: the reflection in standard coordinates, T = E·T_E·E⁻¹.
Matrix<double> BuildReflectionMatrix(Matrix<double> bearBasis)
{
    var E = MirrorBasis(bearBasis);
    var TE = Matrix<double>.Build.DenseOfArray(new double[,] { { -1, 0 }, { 0, 1 } });
    return E * TE * E.Transpose();
}

// Exercise 4: the reflected points (columns).
Matrix<double> ReflectPoints(Matrix<double> bearBasis, Matrix<double> points)
{
    return BuildReflectionMatrix(bearBasis) * points;
}
