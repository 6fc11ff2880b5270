using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: column j spreads site j's surfers evenly over the sites it links to.
Matrix<double> LinkMatrix(int[][] links)
{
    throw new NotImplementedException();
}

// Exercise 2: 100 surfers spread evenly, then a fixed number of steps r <- L r.
Vector<double> PowerIterate(Matrix<double> linkMatrix, int iterations)
{
    throw new NotImplementedException();
}

// Exercise 3: power iteration on the damped matrix until two iterates are within 0.01.
Vector<double> PageRank(Matrix<double> linkMatrix, double d)
{
    throw new NotImplementedException();
}
