// Determinant3x3 adds the middle cofactor instead of subtracting it (signs +, +, + instead of +, -, +).
// expect-score: 91.43
// expect-message: signs of the three cofactors are +, −, +
// expect-message: the middle cofactor is subtracted
using System;
using MathNet.Numerics.LinearAlgebra;

// Entries smaller than this (in absolute value) count as zero during elimination.
const double Eps = 1e-10;

// Exercise 1: determinants by hand.
double Determinant2x2(Matrix<double> A) => A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0];

double Determinant3x3(Matrix<double> A) =>
    A[0, 0] * (A[1, 1] * A[2, 2] - A[1, 2] * A[2, 1])
    + A[0, 1] * (A[1, 0] * A[2, 2] - A[1, 2] * A[2, 0])
    + A[0, 2] * (A[1, 0] * A[2, 1] - A[1, 1] * A[2, 0]);

// Exercise 2: reduced row echelon form by Gauss-Jordan elimination.
Matrix<double> Rref(Matrix<double> M)
{
    var R = M.Clone();
    int rows = R.RowCount, cols = R.ColumnCount;
    int pivotRow = 0;
    for (int c = 0; c < cols && pivotRow < rows; c++)
    {
        // Partial pivoting: the largest entry of column c at or below pivotRow.
        int best = pivotRow;
        for (int r = pivotRow + 1; r < rows; r++)
            if (Math.Abs(R[r, c]) > Math.Abs(R[best, c])) best = r;
        if (Math.Abs(R[best, c]) < Eps)
        {
            for (int r = pivotRow; r < rows; r++) R[r, c] = 0;
            continue;
        }
        if (best != pivotRow)
        {
            var tmp = R.Row(best);
            R.SetRow(best, R.Row(pivotRow));
            R.SetRow(pivotRow, tmp);
        }
        R.SetRow(pivotRow, R.Row(pivotRow) / R[pivotRow, c]);
        for (int r = 0; r < rows; r++)
        {
            if (r == pivotRow) continue;
            double factor = R[r, c];
            if (factor != 0) R.SetRow(r, R.Row(r) - factor * R.Row(pivotRow));
        }
        pivotRow++;
    }
    // Clean the round-off left behind by the subtractions.
    R.CoerceZero(Eps);
    return R;
}

// Exercise 3: rank = number of non-zero rows of the RREF.
int Rank(Matrix<double> M)
{
    var R = Rref(M);
    int rank = 0;
    for (int r = 0; r < R.RowCount; r++)
        if (R.Row(r).Exists(x => Math.Abs(x) >= Eps)) rank++;
    return rank;
}

// Exercise 4: classify A·x = b.
string Classify(Matrix<double> A, Vector<double> b)
{
    int rankA = Rank(A);
    int rankAug = Rank(A.Append(b.ToColumnMatrix()));
    if (rankAug > rankA) return "none";
    return rankA == A.ColumnCount ? "unique" : "infinite";
}

// Exercise 5: the unique solution, read off the RREF of [A | b].
Vector<double> SolveByElimination(Matrix<double> A, Vector<double> b)
{
    if (Classify(A, b) != "unique")
        throw new InvalidOperationException("the system does not have exactly one solution");
    var R = Rref(A.Append(b.ToColumnMatrix()));
    return R.Column(A.ColumnCount).SubVector(0, A.ColumnCount);
}
