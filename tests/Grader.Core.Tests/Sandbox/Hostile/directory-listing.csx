// Lists the root directory.
// verdict: Rejected
// diagnostic: Directory
// on: Directory.GetFiles
// needs: allowlist
using System.IO;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs) => Directory.GetFiles("/").Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
