using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: T(v) = (3·v1, 0, −2·v2) for a vector v of length 2.
Vector<double> T(Vector<double> v)
{
    throw new NotImplementedException();
}

// Exercise 2: the standard matrix from the images of the basis vectors (row j of basisImages = image of e_j),
// and the standard matrix of T built by applying your T to e1 and e2.
Matrix<double> StandardMatrix(Matrix<double> basisImages)
{
    throw new NotImplementedException();
}

Matrix<double> MatrixOfT()
{
    throw new NotImplementedException();
}

// Exercise 3: standard transformations of the plane, as 2×2 matrices.
Matrix<double> HorizontalScaling(double k)
{
    throw new NotImplementedException();
}

Matrix<double> ReflectionYAxis()
{
    throw new NotImplementedException();
}

Matrix<double> Rotation(double theta)
{
    throw new NotImplementedException();
}

Matrix<double> ShearX(double k)
{
    throw new NotImplementedException();
}

// Exercise 4: apply A to every point; points has one point per column.
Matrix<double> TransformPoints(Matrix<double> A, Matrix<double> points)
{
    throw new NotImplementedException();
}

// Exercise 5: the matrix of "apply first, then second".
Matrix<double> Compose(Matrix<double> first, Matrix<double> second)
{
    throw new NotImplementedException();
}

// Exercise 6: the factor by which A scales areas.
double AreaScaleFactor(Matrix<double> A)
{
    throw new NotImplementedException();
}
