// BuildSystem writes one row per unknown instead of one row per equation (A transposed).
// expect-score: 90
// expect-message: one column per unknown
using MathNet.Numerics.LinearAlgebra;

// Exercise 1
(Matrix<double> A, Vector<double> b) BuildSystem()
{
    var A = Matrix<double>.Build.DenseOfArray(new double[,]
    {
        { 2, 1, -1, 1 },
        { -1, 2, 2, -1 },
        { 1, -1, 2, 2 },
        { 1, -1, 2, 1 },
    });
    var b = Vector<double>.Build.DenseOfArray([6, 3, 14, 8]);
    return (A, b);
}

// Exercise 2
double Determinant(Matrix<double> A) => A.Determinant();

Vector<double> Solve(Matrix<double> A, Vector<double> b) => A.Solve(b);

// Exercise 3: every operation works on a copy, never on the caller's matrix.
Matrix<double> MultiplyRow(Matrix<double> M, int row, double k)
{
    var result = M.Clone();
    result.SetRow(row, M.Row(row) * k);
    return result;
}

Matrix<double> AddRows(Matrix<double> M, int r1, int r2, double k)
{
    var result = M.Clone();
    result.SetRow(r2, M.Row(r1) * k + M.Row(r2));
    return result;
}

Matrix<double> SwapRows(Matrix<double> M, int r1, int r2)
{
    var result = M.Clone();
    result.SetRow(r1, M.Row(r2));
    result.SetRow(r2, M.Row(r1));
    return result;
}

// Exercise 4
Matrix<double> AugmentedToRef(Matrix<double> A, Vector<double> b)
{
    var M = A.Append(b.ToColumnMatrix());
    M = SwapRows(M, 0, 1);
    M = AddRows(M, 0, 1, -2);
    M = AddRows(M, 0, 2, 1);
    M = AddRows(M, 0, 3, -1);
    M = AddRows(M, 2, 3, 1);
    M = SwapRows(M, 1, 3);
    M = AddRows(M, 2, 3, 1);
    M = AddRows(M, 1, 2, -4);
    M = AddRows(M, 1, 3, 1);
    M = AddRows(M, 3, 2, 2);
    M = AddRows(M, 2, 3, -8);
    M = MultiplyRow(M, 3, -1.0 / 17);
    return M;
}

// Exercise 5
(double x1, double x2, double x3, double x4) BackSubstitute(Matrix<double> Aref)
{
    double x4 = Aref[3, 4];
    double x3 = Aref[2, 4] - Aref[2, 3] * x4;
    double x2 = Aref[1, 4] - Aref[1, 2] * x3 - Aref[1, 3] * x4;
    double x1 = Aref[0, 4] - Aref[0, 1] * x2 - Aref[0, 2] * x3 - Aref[0, 3] * x4;
    return (x1, x2, x3, x4);
}

// Exercise 6
Matrix<double> RefToDiagonal(Matrix<double> Aref)
{
    var M = AddRows(Aref, 3, 2, -3);
    M = AddRows(M, 3, 1, -3);
    M = AddRows(M, 3, 0, 1);
    M = AddRows(M, 2, 1, -4);
    M = AddRows(M, 2, 0, 1);
    M = AddRows(M, 1, 0, -2);
    return M;
}
