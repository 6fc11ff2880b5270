// NaN and infinities where numbers are expected: wrong answers, never a crash or a pass.
// verdict: Graded
// case: * WrongAnswer
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => xs.Length > 1 ? double.NaN : double.PositiveInfinity;

Matrix<double> Scale(Matrix<double> M, double k) => M * (k * double.PositiveInfinity) + double.NaN;
