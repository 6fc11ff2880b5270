// A finalizer runs on the finalizer thread, outside any call and its deadline.
// verdict: Rejected
// diagnostic: finalizer
// on: ~Zombie
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

class Zombie
{
    ~Zombie() { while (true) { } }
}

double Mean(double[] xs)
{
    new Zombie();
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
