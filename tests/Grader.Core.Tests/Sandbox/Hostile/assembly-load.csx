// Loads an assembly by name.
// verdict: Rejected
// diagnostic: Assembly
// on: Assembly.Load
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => System.Reflection.Assembly.Load("System.Diagnostics.Process").GetTypes().Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
