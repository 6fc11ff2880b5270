using System;
using System.Globalization;
using System.Linq;

// Exercise 1: the two price columns of the CSV text (its lines, header first) as float arrays.
(float[] pricesA, float[] pricesB) ParsePrices(string[] lines)
{
    throw new NotImplementedException();
}

// Exercise 2: the blended monthly cost, and the loss (its population variance).
double[] FOfOmega(double omega, float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}

double LOfOmega(double omega, float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}

// Exercise 3: an evenly spaced grid (both ends included), and the loss at every grid point.
double[] Linspace(double start, double stop, int n)
{
    throw new NotImplementedException();
}

double[] LOfOmegaArray(double[] omegas, float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}

// Exercise 4: the derivative of the loss with respect to omega, at one point and at every grid point.
double DLdOmega(double omega, float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}

double[] DLdOmegaArray(double[] omegas, float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}

// Exercise 5: the grid point with the smallest loss, and the exact minimiser.
(int index, double omega, double loss) GridMinimum(int n, float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}

double OptimalOmega(float[] pricesA, float[] pricesB)
{
    throw new NotImplementedException();
}
