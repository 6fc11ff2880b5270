using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the system of the statement as A·x = b.
(Matrix<double> A, Vector<double> b) BuildSystem()
{
    throw new NotImplementedException();
}

// Exercise 2: library determinant and library solver.
double Determinant(Matrix<double> A)
{
    throw new NotImplementedException();
}

Vector<double> Solve(Matrix<double> A, Vector<double> b)
{
    throw new NotImplementedException();
}

// Exercise 3: elementary row operations. Each returns a NEW matrix; M must stay as it was.
Matrix<double> MultiplyRow(Matrix<double> M, int row, double k)
{
    throw new NotImplementedException();
}

Matrix<double> AddRows(Matrix<double> M, int r1, int r2, double k)
{
    throw new NotImplementedException();
}

Matrix<double> SwapRows(Matrix<double> M, int r1, int r2)
{
    throw new NotImplementedException();
}

// Exercise 4: build [A | b] and apply the prescribed sequence of operations.
Matrix<double> AugmentedToRef(Matrix<double> A, Vector<double> b)
{
    throw new NotImplementedException();
}

// Exercise 5: read the solution off a row echelon form with a unit diagonal.
(double x1, double x2, double x3, double x4) BackSubstitute(Matrix<double> Aref)
{
    throw new NotImplementedException();
}

// Exercise 6: apply the prescribed sequence that clears the entries above the diagonal.
Matrix<double> RefToDiagonal(Matrix<double> Aref)
{
    throw new NotImplementedException();
}
