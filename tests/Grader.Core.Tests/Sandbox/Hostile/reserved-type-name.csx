// Declares a type whose name the runtime recognises.
// verdict: Rejected
// diagnostic: reserved
// on: class System
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

class System { }

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
