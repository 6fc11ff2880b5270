// Declares a native libc function and calls it.
// verdict: Rejected or CompileError
// diagnostic: DllImport
// on: [
// needs: allowlist
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;

[DllImport("libc")] static extern int kill(int pid, int sig);

double Mean(double[] xs) => kill(-1, 9);

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
