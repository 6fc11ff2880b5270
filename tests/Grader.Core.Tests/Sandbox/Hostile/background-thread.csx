// A thread that outlives the call and keeps printing (the next case's output would carry it).
// verdict: Rejected
// diagnostic: Thread
// on: new Thread
// needs: allowlist
using System.Threading;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    new Thread(() => { while (true) Console.Write(string.Join(",", xs)); }) { IsBackground = true }.Start();
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
