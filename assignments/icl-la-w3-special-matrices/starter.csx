using System;

// Raised by the FixRow functions when a row cannot be given a non-zero pivot.
class MatrixIsSingularException : Exception
{
    public MatrixIsSingularException() : base("the matrix is singular") { }
}

// Row helpers (given). Each reads the multiplier once, before the row changes.
void AddRow(double[,] A, int target, int source)
{
    for (int j = 0; j < 4; j++) A[target, j] += A[source, j];
}

void EliminateColumn(double[,] A, int target, int pivotRow)
{
    double k = A[target, pivotRow];
    for (int j = 0; j < 4; j++) A[target, j] -= k * A[pivotRow, j];
}

void NormalizeRow(double[,] A, int row)
{
    double pivot = A[row, row];
    for (int j = 0; j < 4; j++) A[row, j] /= pivot;
}

// Given: row 0.
double[,] FixRowZero(double[,] A)
{
    if (A[0, 0] == 0) AddRow(A, 0, 1);
    if (A[0, 0] == 0) AddRow(A, 0, 2);
    if (A[0, 0] == 0) AddRow(A, 0, 3);
    if (A[0, 0] == 0) throw new MatrixIsSingularException();
    NormalizeRow(A, 0);
    return A;
}

// Given: row 1.
double[,] FixRowOne(double[,] A)
{
    EliminateColumn(A, 1, 0);
    if (A[1, 1] == 0)
    {
        AddRow(A, 1, 2);
        EliminateColumn(A, 1, 0);
    }
    if (A[1, 1] == 0)
    {
        AddRow(A, 1, 3);
        EliminateColumn(A, 1, 0);
    }
    if (A[1, 1] == 0) throw new MatrixIsSingularException();
    NormalizeRow(A, 1);
    return A;
}

// Exercise 1: eliminate columns 0 and 1 from row 2, rescue a zero pivot with row 3, normalize.
double[,] FixRowTwo(double[,] A)
{
    throw new NotImplementedException();
}

// Exercise 2: eliminate columns 0, 1 and 2 from row 3, normalize (no rescue possible).
double[,] FixRowThree(double[,] A)
{
    throw new NotImplementedException();
}

// Exercise 3: run the four steps on a copy; a MatrixIsSingularException means "singular".
bool IsSingular(double[,] A)
{
    throw new NotImplementedException();
}
