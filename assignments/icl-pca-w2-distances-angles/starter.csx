using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the Euclidean distance between two vectors of the same length.
double Distance(double[] x0, double[] x1)
{
    throw new NotImplementedException();
}

// Exercise 2: the angle between two vectors, in radians (NaN if either is the zero vector).
double Angle(double[] x0, double[] x1)
{
    throw new NotImplementedException();
}

// Exercise 3: the 0-based index of the row of `images` closest to row `index`, other than `index` itself.
int MostSimilarImage(Matrix<double> images, int index)
{
    throw new NotImplementedException();
}

// Exercise 4: the N×M matrix of distances between the rows of X (N×D) and the rows of Y (M×D).
Matrix<double> PairwiseDistanceMatrix(Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 5: the label predicted for x by a vote of its k nearest rows of X (labels in y).
int Knn(int k, Matrix<double> X, int[] y, double[] x)
{
    throw new NotImplementedException();
}
