// Switches the culture so that numbers print with a decimal comma.
// verdict: Rejected
// diagnostic: CultureInfo
// on: CultureInfo.CurrentCulture
// needs: allowlist
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    CultureInfo.CurrentCulture = new CultureInfo("de-DE");
    return double.Parse((xs.Sum() / xs.Length).ToString());
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
