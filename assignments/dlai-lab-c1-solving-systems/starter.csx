using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: determinants by hand (no library calls).
double Determinant2x2(Matrix<double> A)
{
    throw new NotImplementedException();
}

double Determinant3x3(Matrix<double> A)
{
    throw new NotImplementedException();
}

// Exercise 2: reduced row echelon form of any matrix, computed on a copy.
// Treat entries with |x| < 1e-10 as zero.
Matrix<double> Rref(Matrix<double> M)
{
    throw new NotImplementedException();
}

// Exercise 3: the number of non-zero rows of Rref(M).
int Rank(Matrix<double> M)
{
    throw new NotImplementedException();
}

// Exercise 4: "unique", "none" or "infinite".
string Classify(Matrix<double> A, Vector<double> b)
{
    throw new NotImplementedException();
}

// Exercise 5: the unique solution of A·x = b; throw InvalidOperationException otherwise.
Vector<double> SolveByElimination(Matrix<double> A, Vector<double> b)
{
    throw new NotImplementedException();
}
