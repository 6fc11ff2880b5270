// Unsafe.As reinterprets an object as an unrelated type.
// verdict: Rejected
// diagnostic: Unsafe
// on: Unsafe.As
// needs: allowlist
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => Unsafe.As<double[], long[]>(ref xs)[0];

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
