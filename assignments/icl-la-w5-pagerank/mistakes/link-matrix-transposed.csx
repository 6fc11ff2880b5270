// LinkMatrix fills row j instead of column j: entry (j, i) gets the share of site j's surfers
// that go to site i.
// expect-score: 83.33
// expect-message: not the other way round
using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: column j spreads site j's surfers evenly over the sites it links to.
Matrix<double> LinkMatrix(int[][] links)
{
    int n = links.Length;
    var L = Matrix<double>.Build.Dense(n, n);
    for (int j = 0; j < n; j++)
        foreach (int i in links[j])
            L[j, i] = 1.0 / links[j].Length;
    return L;
}

// Exercise 2: 100 surfers spread evenly, then a fixed number of steps r <- L r.
Vector<double> PowerIterate(Matrix<double> linkMatrix, int iterations)
{
    int n = linkMatrix.RowCount;
    var r = Vector<double>.Build.Dense(n, 100.0 / n);
    for (int k = 0; k < iterations; k++)
        r = linkMatrix * r;
    return r;
}

// Exercise 3: power iteration on the damped matrix until two iterates are within 0.01.
Vector<double> PageRank(Matrix<double> linkMatrix, double d)
{
    int n = linkMatrix.RowCount;
    var M = d * linkMatrix + (1 - d) / n * Matrix<double>.Build.Dense(n, n, 1.0);
    var r = Vector<double>.Build.Dense(n, 100.0 / n);
    var lastR = r;
    r = M * r;
    while ((lastR - r).L2Norm() > 0.01)
    {
        lastR = r;
        r = M * r;
    }
    return r;
}
