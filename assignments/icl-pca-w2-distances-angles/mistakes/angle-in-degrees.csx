// Angle converts its result to degrees; the assignment asks for radians.
// expect-score: 85.71
// expect-message: in RADIANS (π/2 here), not degrees
using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: Euclidean distance, the norm of the difference.
double Distance(double[] x0, double[] x1)
{
    double sum = 0;
    for (int i = 0; i < x0.Length; i++)
    {
        double d = x0[i] - x1[i];
        sum += d * d;
    }
    return Math.Sqrt(sum);
}

// Exercise 2: the angle in radians; the cosine is clamped because rounding can push it past ±1.
double Angle(double[] x0, double[] x1)
{
    double dot = 0, n0 = 0, n1 = 0;
    for (int i = 0; i < x0.Length; i++)
    {
        dot += x0[i] * x1[i];
        n0 += x0[i] * x0[i];
        n1 += x1[i] * x1[i];
    }
    double cos = dot / Math.Sqrt(n0 * n1);   // NaN when a vector is zero
    return Math.Acos(Math.Clamp(cos, -1.0, 1.0)) * 180 / Math.PI;
}

// Exercise 3: the nearest other image.
int MostSimilarImage(Matrix<double> images, int index)
{
    var target = images.Row(index).ToArray();
    int best = -1;
    double bestDistance = double.PositiveInfinity;
    for (int i = 0; i < images.RowCount; i++)
    {
        if (i == index) continue;
        double d = Distance(images.Row(i).ToArray(), target);
        if (d < bestDistance)
        {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

// Exercise 4: all distances between the rows of X (N×D) and the rows of Y (M×D), as an N×M matrix.
Matrix<double> PairwiseDistanceMatrix(Matrix<double> X, Matrix<double> Y)
{
    var rowsX = X.ToRowArrays();
    var rowsY = Y.ToRowArrays();
    return Matrix<double>.Build.Dense(X.RowCount, Y.RowCount, (i, j) => Distance(rowsX[i], rowsY[j]));
}

// Exercise 5: majority label among the k nearest rows; ties go to the smallest label.
int Knn(int k, Matrix<double> X, int[] y, double[] x)
{
    var rows = X.ToRowArrays();
    var nearest = Enumerable.Range(0, rows.Length).OrderBy(i => Distance(rows[i], x)).Take(k);
    return nearest
        .GroupBy(i => y[i])
        .OrderByDescending(g => g.Count())
        .ThenBy(g => g.Key)
        .First().Key;
}
