using System;
using System.Linq;
using MathNet.Numerics.Distributions;

// Keep these records as they are: the grader reads and writes them by their property names.
public record ContMetrics(int N, double Xbar, double S);
public record PropMetrics(int N, int X, double P);

// Exercise 1: size, mean and sample standard deviation of a continuous metric.
ContMetrics ComputeContinuousMetrics(double[] data)
{
    throw new NotImplementedException();
}

// Exercise 2: Welch–Satterthwaite degrees of freedom.
double DegreesOfFreedom(ContMetrics c, ContMetrics v)
{
    throw new NotImplementedException();
}

// Exercise 3: Welch's t statistic, control minus variation.
double TStatisticDiffMeans(ContMetrics c, ContMetrics v)
{
    throw new NotImplementedException();
}

// Exercise 4: reject the null hypothesis of equal means? (two-sided)
bool RejectNhTStatistic(double t, double dof, double alpha)
{
    throw new NotImplementedException();
}

// Exercise 5: size, number converted and conversion rate.
PropMetrics ComputeProportionMetrics(int[] converted)
{
    throw new NotImplementedException();
}

// Exercise 6: the pooled conversion rate of both groups.
double PooledProportion(PropMetrics c, PropMetrics v)
{
    throw new NotImplementedException();
}

// Exercise 7: the z statistic for the difference of proportions, control minus variation.
double ZStatisticDiffProportions(PropMetrics c, PropMetrics v)
{
    throw new NotImplementedException();
}

// Exercise 8: reject the null hypothesis of equal proportions? (two-sided)
bool RejectNhZStatistic(double z, double alpha)
{
    throw new NotImplementedException();
}

// Exercise 9: the (1 − alpha) confidence interval of a conversion rate.
(double lower, double upper) ConfidenceIntervalProportion(PropMetrics m, double alpha)
{
    throw new NotImplementedException();
}

// Exercise 10: users needed per group.
int SampleSizePerGroup(double p1, double p2, double alpha, double power)
{
    throw new NotImplementedException();
}
