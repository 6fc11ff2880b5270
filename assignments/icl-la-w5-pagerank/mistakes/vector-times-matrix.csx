// PowerIterate and PageRank compute r·L (MathNet's vector * matrix), which is Lᵀ·r: surfers
// move along the links backwards.
// expect-score: 41.11
// expect-message: not the vector by the matrix
// expect-message: M·r, not Mᵀ·r or r·M
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
            L[i, j] = 1.0 / links[j].Length;
    return L;
}

// Exercise 2: 100 surfers spread evenly, then a fixed number of steps r <- L r.
Vector<double> PowerIterate(Matrix<double> linkMatrix, int iterations)
{
    int n = linkMatrix.RowCount;
    var r = Vector<double>.Build.Dense(n, 100.0 / n);
    for (int k = 0; k < iterations; k++)
        r = r * linkMatrix;
    return r;
}

// Exercise 3: power iteration on the damped matrix until two iterates are within 0.01.
Vector<double> PageRank(Matrix<double> linkMatrix, double d)
{
    int n = linkMatrix.RowCount;
    var M = d * linkMatrix + (1 - d) / n * Matrix<double>.Build.Dense(n, n, 1.0);
    var r = Vector<double>.Build.Dense(n, 100.0 / n);
    var lastR = r;
    r = r * M;
    while ((lastR - r).L2Norm() > 0.01)
    {
        lastR = r;
        r = r * M;
    }
    return r;
}
