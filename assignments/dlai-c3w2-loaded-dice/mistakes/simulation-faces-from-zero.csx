// Throw numbers the faces from 0 to n - 1, so every simulated total is 2 too small.
// expect-score: 90
// expect-message: faces numbered from 1
// faceProbs[i] is the probability of the face i + 1. A PMF of a total is an array indexed by
// the total: pmf[s] = P(total = s), for s = 0 … 2n.

// Exercise 1
(double mean, double variance) Moments(double[] faceProbs)
{
    double mean = 0;
    for (int i = 0; i < faceProbs.Length; i++)
    {
        mean += (i + 1) * faceProbs[i];
    }
    double variance = 0;
    for (int i = 0; i < faceProbs.Length; i++)
    {
        variance += (i + 1 - mean) * (i + 1 - mean) * faceProbs[i];
    }
    return (mean, variance);
}

// Exercise 2: the distribution of the sum of two independent throws (a convolution).
double[] SumPmf(double[] faceProbs)
{
    int n = faceProbs.Length;
    var pmf = new double[2 * n + 1];
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < n; j++)
        {
            pmf[i + j + 2] += faceProbs[i] * faceProbs[j];
        }
    }
    return pmf;
}

// Exercise 3
(double mean, double variance) PmfMoments(double[] pmf)
{
    double mean = 0;
    for (int s = 0; s < pmf.Length; s++)
    {
        mean += s * pmf[s];
    }
    double variance = 0;
    for (int s = 0; s < pmf.Length; s++)
    {
        variance += (s - mean) * (s - mean) * pmf[s];
    }
    return (mean, variance);
}

(double mean, double variance) SumMoments(double[] faceProbs) => PmfMoments(SumPmf(faceProbs));

// Exercise 4: the largest total s with P(total ≤ s) ≤ level.
int LargestSumWithCdfAtMost(double[] faceProbs, double level)
{
    var pmf = SumPmf(faceProbs);
    double cdf = 0;
    int best = -1;
    for (int s = 0; s < pmf.Length; s++)
    {
        cdf += pmf[s];
        if (cdf <= level)
        {
            best = s;
        }
    }
    return best;
}

// Exercise 5: the second throw happens only if the first is ≤ threshold (or ≥ threshold).
bool SecondThrown(int first, int threshold, bool secondIfAtMost) =>
    secondIfAtMost ? first <= threshold : first >= threshold;

double[] ConditionalSumPmf(double[] faceProbs, int threshold, bool secondIfAtMost)
{
    int n = faceProbs.Length;
    var pmf = new double[2 * n + 1];
    for (int i = 0; i < n; i++)
    {
        int first = i + 1;
        if (!SecondThrown(first, threshold, secondIfAtMost))
        {
            pmf[first] += faceProbs[i];
            continue;
        }
        for (int j = 0; j < n; j++)
        {
            pmf[first + j + 1] += faceProbs[i] * faceProbs[j];
        }
    }
    return pmf;
}

// Cov(X1, X2), where X2 = 0 when there is no second throw.
double ConditionalCovariance(double[] faceProbs, int threshold, bool secondIfAtMost)
{
    int n = faceProbs.Length;
    var (mean, _) = Moments(faceProbs);
    double e1 = 0, e2 = 0, e12 = 0;
    for (int i = 0; i < n; i++)
    {
        int first = i + 1;
        double second = SecondThrown(first, threshold, secondIfAtMost) ? mean : 0;
        e1 += faceProbs[i] * first;
        e2 += faceProbs[i] * second;
        e12 += faceProbs[i] * first * second;
    }
    return e12 - e1 * e2;
}

// Exercise 6: the sum's PMF is the square of the faces' generating polynomial; take its square root.
double[] RecoverFaceProbs(double[] sumPmf)
{
    int n = (sumPmf.Length - 1) / 2;
    int s0 = Array.FindIndex(sumPmf, x => x > 0);
    int f0 = s0 / 2;
    var q = new double[n + 1];
    q[f0] = Math.Sqrt(sumPmf[s0]);
    for (int f = f0 + 1; f <= n; f++)
    {
        int s = f0 + f;
        double rest = 0;
        for (int g = f0 + 1; g < f; g++)
        {
            rest += q[g] * q[s - g];
        }
        q[f] = (sumPmf[s] - rest) / (2 * q[f0]);
    }
    return q.Skip(1).ToArray();
}

// Exercise 7: the average total of numThrows simulated pairs of throws.
double SimulateMeanOfSum(double[] faceProbs, int numThrows, Random rng)
{
    double total = 0;
    for (int t = 0; t < numThrows; t++)
    {
        total += Throw(faceProbs, rng) + Throw(faceProbs, rng);
    }
    return total / numThrows;
}

int Throw(double[] faceProbs, Random rng)
{
    double u = rng.NextDouble();
    double cdf = 0;
    for (int i = 0; i < faceProbs.Length; i++)
    {
        cdf += faceProbs[i];
        if (u < cdf)
        {
            return i;
        }
    }
    return faceProbs.Length - 1;
}
