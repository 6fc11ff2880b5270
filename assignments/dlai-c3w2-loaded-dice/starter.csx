using System;
using System.Linq;

// faceProbs[i] is the probability of the face i + 1. A PMF of a total is an array indexed by
// the total: pmf[s] = P(total = s), for s = 0 … 2n.

// Exercise 1: mean and variance of one throw.
(double mean, double variance) Moments(double[] faceProbs)
{
    throw new NotImplementedException();
}

// Exercise 2: the PMF of the sum of two independent throws.
double[] SumPmf(double[] faceProbs)
{
    throw new NotImplementedException();
}

// Exercise 3: mean and variance of the sum of two throws.
(double mean, double variance) SumMoments(double[] faceProbs)
{
    throw new NotImplementedException();
}

// Exercise 4: the largest total s with P(total ≤ s) ≤ level.
int LargestSumWithCdfAtMost(double[] faceProbs, double level)
{
    throw new NotImplementedException();
}

// Exercise 5: a second throw only if the first is ≤ threshold (secondIfAtMost) or ≥ threshold (otherwise).
double[] ConditionalSumPmf(double[] faceProbs, int threshold, bool secondIfAtMost)
{
    throw new NotImplementedException();
}

double ConditionalCovariance(double[] faceProbs, int threshold, bool secondIfAtMost)
{
    throw new NotImplementedException();
}

// Exercise 6: the face probabilities, from the PMF of the sum of two throws.
double[] RecoverFaceProbs(double[] sumPmf)
{
    throw new NotImplementedException();
}

// Exercise 7: the average total of numThrows simulated pairs of throws.
double SimulateMeanOfSum(double[] faceProbs, int numThrows, Random rng)
{
    throw new NotImplementedException();
}
