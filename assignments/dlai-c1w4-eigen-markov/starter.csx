using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the reflection in the y-axis, and the eigenpairs of any square matrix
// (real eigenvalues; unit eigenvectors in the columns, in the same order as the eigenvalues).
Matrix<double> ReflectionYAxis()
{
    throw new NotImplementedException();
}

(double[] values, Matrix<double> vectors) Eig(Matrix<double> A)
{
    throw new NotImplementedException();
}

// Exercise 2: the horizontal shear, and the number of independent eigenvectors for an eigenvalue.
Matrix<double> ShearX(double k)
{
    throw new NotImplementedException();
}

int CountEigenDirections(Matrix<double> A, double lambda)
{
    throw new NotImplementedException();
}

// Exercise 3: the transition matrix from link counts, one browsing step, and several steps.
Matrix<double> BuildMarkovMatrix(Matrix<double> links)
{
    throw new NotImplementedException();
}

Vector<double> Step(Matrix<double> P, Vector<double> X)
{
    throw new NotImplementedException();
}

Vector<double> Iterate(Matrix<double> P, Vector<double> X0, int steps)
{
    throw new NotImplementedException();
}

// Exercise 4: P·Xinf, to check that Xinf is an eigenvector for the eigenvalue 1.
Vector<double> CheckEigenvector(Matrix<double> P, Vector<double> Xinf)
{
    throw new NotImplementedException();
}

// Exercise 5: the long-run distribution: the eigenvector for eigenvalue 1, scaled to sum 1.
Vector<double> StationaryDistribution(Matrix<double> P)
{
    throw new NotImplementedException();
}
