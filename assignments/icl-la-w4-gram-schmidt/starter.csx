using System;
using MathNet.Numerics.LinearAlgebra;

// A residual column shorter than this counts as zero: the column depended on the earlier ones.
const double VerySmallNumber = 1e-14;

// Exercise 1: the four steps written out. Work on a copy of A; column 0 is only normalized,
// columns 1, 2 and 3 lose their components along the earlier columns and are then normalized,
// or set to zero when their norm is at most VerySmallNumber.
Matrix<double> GsBasis4(Matrix<double> A)
{
    throw new NotImplementedException();
}

// Exercise 2: the same for any number of columns (a loop over the columns).
Matrix<double> GsBasis(Matrix<double> A)
{
    throw new NotImplementedException();
}

// Given: the dimension of the space spanned by the columns of A.
double Dimensions(Matrix<double> A) => GsBasis(A).ColumnNorms(2).Sum();
