// Bytes that are not UTF-8 where code belongs; the service decodes uploads like File.ReadAllText.
// verdict: CompileError or Rejected
// on: HOSTILE
using MathNet.Numerics.LinearAlgebra;

double HOSTILEÿþÃ(double x) => x;

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
