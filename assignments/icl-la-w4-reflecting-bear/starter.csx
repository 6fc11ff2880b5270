using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the mirror's orthonormal basis (Gram–Schmidt on the two columns).
Matrix<double> MirrorBasis(Matrix<double> bearBasis)
{
    throw new NotImplementedException();
}

// Exercise 2: coordinates of the points (columns) in the mirror's frame, E⁻¹·P = Eᵀ·P.
Matrix<double> ToMirrorFrame(Matrix<double> bearBasis, Matrix<double> points)
{
    throw new NotImplementedException();
}

// Exercise 3: the reflection in standard coordinates, T = E·T_E·E⁻¹.
Matrix<double> BuildReflectionMatrix(Matrix<double> bearBasis)
{
    throw new NotImplementedException();
}

// Exercise 4: the reflected points (columns).
Matrix<double> ReflectPoints(Matrix<double> bearBasis, Matrix<double> points)
{
    throw new NotImplementedException();
}
