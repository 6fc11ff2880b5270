// LOfOmega uses the sample variance (divide by N - 1) instead of the population variance.
// expect-score: 74
// expect-message: population variance
using System.Globalization;

// Exercise 1: the two price columns of the CSV text (header line first) as float32 arrays.
(float[] pricesA, float[] pricesB) ParsePrices(string[] lines)
{
    var rows = lines.Skip(1)
        .Where(line => line.Trim().Length > 0)
        .Select(line => line.Split(','))
        .ToArray();
    var pricesA = rows.Select(r => float.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
    var pricesB = rows.Select(r => float.Parse(r[2], CultureInfo.InvariantCulture)).ToArray();
    return (pricesA, pricesB);
}

// Exercise 2: the monthly cost per item when a share omega is bought from A and the rest from B.
double[] FOfOmega(double omega, float[] pricesA, float[] pricesB)
{
    return pricesA.Zip(pricesB, (a, b) => a * omega + b * (1 - omega)).ToArray();
}

// The loss: population variance of the blended costs.
double LOfOmega(double omega, float[] pricesA, float[] pricesB)
{
    var f = FOfOmega(omega, pricesA, pricesB);
    double mean = f.Average();
    return f.Select(x => (x - mean) * (x - mean)).Sum() / (f.Length - 1);
}

// Exercise 3
double[] Linspace(double start, double stop, int n)
{
    if (n == 1)
    {
        return [start];
    }
    return Enumerable.Range(0, n).Select(i => start + (stop - start) * i / (n - 1)).ToArray();
}

double[] LOfOmegaArray(double[] omegas, float[] pricesA, float[] pricesB) =>
    omegas.Select(w => LOfOmega(w, pricesA, pricesB)).ToArray();

// Exercise 4: dL/dω = 2·Cov(pB, pA − pB) + 2ω·Var(pA − pB), population moments.
double DLdOmega(double omega, float[] pricesA, float[] pricesB)
{
    var b = pricesB.Select(x => (double)x).ToArray();
    var d = pricesA.Zip(pricesB, (x, y) => (double)x - y).ToArray();
    double meanB = b.Average();
    double meanD = d.Average();
    double cov = b.Zip(d, (x, y) => (x - meanB) * (y - meanD)).Average();
    double varD = d.Select(x => (x - meanD) * (x - meanD)).Average();
    return 2 * cov + 2 * omega * varD;
}

double[] DLdOmegaArray(double[] omegas, float[] pricesA, float[] pricesB) =>
    omegas.Select(w => DLdOmega(w, pricesA, pricesB)).ToArray();

// Exercise 5: the minimum on a grid of n points over [0, 1], and where the derivative vanishes.
(int index, double omega, double loss) GridMinimum(int n, float[] pricesA, float[] pricesB)
{
    var omegas = Linspace(0, 1, n);
    var losses = LOfOmegaArray(omegas, pricesA, pricesB);
    int best = 0;
    for (int i = 1; i < n; i++)
    {
        if (losses[i] < losses[best])
        {
            best = i;
        }
    }
    return (best, omegas[best], losses[best]);
}

double OptimalOmega(float[] pricesA, float[] pricesB)
{
    // DLdOmega is linear in ω: its zero is −(value at 0) / slope.
    double atZero = DLdOmega(0, pricesA, pricesB);
    double slope = DLdOmega(1, pricesA, pricesB) - atZero;
    return -atZero / slope;
}
