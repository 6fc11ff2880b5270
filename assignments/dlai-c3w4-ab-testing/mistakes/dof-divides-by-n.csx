// DegreesOfFreedom divides each group's term by n instead of n - 1.
// expect-score: 90
// expect-message: divided by its own n − 1
using MathNet.Numerics.Distributions;

// Keep these records as they are: the grader reads and writes them by their property names.
public record ContMetrics(int N, double Xbar, double S);
public record PropMetrics(int N, int X, double P);

// Exercise 1: size, mean and SAMPLE standard deviation (divide by N − 1).
ContMetrics ComputeContinuousMetrics(double[] data)
{
    int n = data.Length;
    double mean = data.Average();
    double s = Math.Sqrt(data.Sum(x => (x - mean) * (x - mean)) / (n - 1));
    return new ContMetrics(n, mean, s);
}

// Exercise 2: Welch–Satterthwaite degrees of freedom.
double DegreesOfFreedom(ContMetrics c, ContMetrics v)
{
    double a = c.S * c.S / c.N;
    double b = v.S * v.S / v.N;
    return (a + b) * (a + b) / (a * a / c.N + b * b / v.N);
}

// Exercise 3: Welch's t statistic for the difference of means, control minus variation.
double TStatisticDiffMeans(ContMetrics c, ContMetrics v) =>
    (c.Xbar - v.Xbar) / Math.Sqrt(c.S * c.S / c.N + v.S * v.S / v.N);

// Exercise 4: two-sided test.
bool RejectNhTStatistic(double t, double dof, double alpha)
{
    double p = 2 * (1 - StudentT.CDF(0, 1, dof, Math.Abs(t)));
    return p < alpha;
}

// Exercise 5
PropMetrics ComputeProportionMetrics(int[] converted)
{
    int n = converted.Length;
    int x = converted.Count(c => c == 1);
    return new PropMetrics(n, x, x / (double)n);
}

// Exercise 6
double PooledProportion(PropMetrics c, PropMetrics v) => (c.X + v.X) / (double)(c.N + v.N);

// Exercise 7
double ZStatisticDiffProportions(PropMetrics c, PropMetrics v)
{
    double p = PooledProportion(c, v);
    return (c.P - v.P) / Math.Sqrt(p * (1 - p) * (1.0 / c.N + 1.0 / v.N));
}

// Exercise 8
bool RejectNhZStatistic(double z, double alpha)
{
    double p = 2 * (1 - Normal.CDF(0, 1, Math.Abs(z)));
    return p < alpha;
}

// Exercise 9
(double lower, double upper) ConfidenceIntervalProportion(PropMetrics m, double alpha)
{
    double z = Normal.InvCDF(0, 1, 1 - alpha / 2);
    double half = z * Math.Sqrt(m.P * (1 - m.P) / m.N);
    return (m.P - half, m.P + half);
}

// Exercise 10: users needed in each group to detect p1 → p2 (two-sided test at alpha, given power).
int SampleSizePerGroup(double p1, double p2, double alpha, double power)
{
    double pBar = (p1 + p2) / 2;
    double zAlpha = Normal.InvCDF(0, 1, 1 - alpha / 2);
    double zBeta = Normal.InvCDF(0, 1, power);
    double numerator = Math.Sqrt(2 * pBar * (1 - pBar)) * zAlpha + Math.Sqrt(p1 * (1 - p1) + p2 * (1 - p2)) * zBeta;
    return (int)Math.Ceiling(numerator * numerator / ((p2 - p1) * (p2 - p1)));
}
