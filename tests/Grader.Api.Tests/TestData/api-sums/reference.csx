// Exercise 1
double Add(double a, double b) => a + b;

// Exercise 2
double[] Scale(double[] v, double k)
{
    var result = new double[v.Length];
    for (var i = 0; i < v.Length; i++)
    {
        result[i] = v[i] * k;
    }
    return result;
}
