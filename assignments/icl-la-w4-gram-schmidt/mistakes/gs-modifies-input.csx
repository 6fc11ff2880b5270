// GsBasis orthonormalizes A itself instead of a copy: right values, but the caller's matrix is
// overwritten.
// expect-score: 96.47
// expect-message: argument 0 was modified by the call
// expect-message: GsBasis must work on a copy
using System;
using MathNet.Numerics.LinearAlgebra;

// A residual column shorter than this counts as zero: the column depended on the earlier ones.
const double VerySmallNumber = 1e-14;

// Makes column i of B a unit vector, or all zeros when it is (numerically) zero.
void NormalizeOrZero(Matrix<double> B, int i)
{
    double norm = B.Column(i).L2Norm();
    if (norm > VerySmallNumber)
        B.SetColumn(i, B.Column(i) / norm);
    else
        B.SetColumn(i, Vector<double>.Build.Dense(B.RowCount));
}

// Subtracts from column i its component along column j (a unit vector or zero).
void RemoveComponent(Matrix<double> B, int i, int j)
{
    B.SetColumn(i, B.Column(i) - B.Column(i).DotProduct(B.Column(j)) * B.Column(j));
}

// Exercise 1: the four steps written out.
Matrix<double> GsBasis4(Matrix<double> A)
{
    var B = A.Clone();
    // Column 0: only normalize.
    B.SetColumn(0, B.Column(0) / B.Column(0).L2Norm());
    // Column 1: remove the part along column 0, then normalize or zero.
    RemoveComponent(B, 1, 0);
    NormalizeOrZero(B, 1);
    // Column 2: remove the parts along columns 0 and 1.
    RemoveComponent(B, 2, 0);
    RemoveComponent(B, 2, 1);
    NormalizeOrZero(B, 2);
    // Column 3: remove the parts along columns 0, 1 and 2.
    RemoveComponent(B, 3, 0);
    RemoveComponent(B, 3, 1);
    RemoveComponent(B, 3, 2);
    NormalizeOrZero(B, 3);
    return B;
}

// Exercise 2: any number of columns.
Matrix<double> GsBasis(Matrix<double> A)
{
    var B = A;
    for (int i = 0; i < B.ColumnCount; i++)
    {
        for (int j = 0; j < i; j++)
            RemoveComponent(B, i, j);
        NormalizeOrZero(B, i);
    }
    return B;
}

// Given: the dimension of the space spanned by the columns of A.
double Dimensions(Matrix<double> A) => GsBasis(A).ColumnNorms(2).Sum();
