// Exercise 1
double Add(double a, double b)
{
    return 0;
}

// Exercise 2
double[] Scale(double[] v, double k)
{
    return new double[v.Length];
}
