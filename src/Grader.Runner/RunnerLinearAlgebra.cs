using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace Grader.Runner;

/// <summary>
/// MathNet's managed provider with one method replaced: the product of two dense double matrices,
/// which every <c>A * B</c> and <c>A * v</c> of a submission calls. MathNet's copies each column of
/// the right-hand matrix into an array of its own first (2,000 arrays for a 2×2000 one); this one
/// reads the operands where they are. It sums each entry's terms in the same order and starts
/// from the same zero, so its results are bit for bit MathNet's. Everything else is forwarded.
/// </summary>
internal sealed class RunnerLinearAlgebra(ILinearAlgebraProvider managed) : ILinearAlgebraProvider
{
    private readonly ILinearAlgebraProvider _managed = managed;

    // The runner is single-threaded (Control.UseSingleThread), but a submission may start threads.
    [ThreadStatic]
    private static double[]? t_row;

    public void MatrixMultiply(double[] x, int rowsX, int columnsX, double[] y, int rowsY, int columnsY, double[] result)
    {
        if (x is null || y is null || result is null || columnsX != rowsY || rowsX * columnsX != x.Length
            || rowsY * columnsY != y.Length || rowsX * columnsY != result.Length
            || ReferenceEquals(result, x) || ReferenceEquals(result, y))
        {
            // MathNet's own argument errors, and its behaviour when the result overlaps an operand.
            _managed.MatrixMultiply(x!, rowsX, columnsX, y!, rowsY, columnsY, result!);
            return;
        }
        var row = t_row is { } kept && kept.Length >= columnsX ? kept : t_row = new double[Math.Max(columnsX, 16)];
        for (int i = 0; i < rowsX; i++)
        {
            // Column-major storage: row i of x is strided, so it is gathered once per row.
            for (int k = 0; k < columnsX; k++)
            {
                row[k] = x[k * rowsX + i];
            }
            for (int j = 0; j < columnsY; j++)
            {
                var column = y.AsSpan(j * rowsY, rowsY);
                double sum = 0;
                for (int k = 0; k < column.Length; k++)
                {
                    sum += row[k] * column[k];
                }
                // MathNet clears the result and adds 1.0 * sum: the same value, -0.0 included.
                result[j * rowsX + i] = 0.0 + sum;
            }
        }
    }

    public override string ToString() => _managed.ToString() ?? "Managed";

    // Forwarded unchanged.
    public void AddVectorToScaledVector(double[] y, double alpha, double[] x, double[] result) => _managed.AddVectorToScaledVector(y, alpha, x, result);
    public void ScaleArray(double alpha, double[] x, double[] result) => _managed.ScaleArray(alpha, x, result);
    public void ConjugateArray(double[] x, double[] result) => _managed.ConjugateArray(x, result);
    public double DotProduct(double[] x, double[] y) => _managed.DotProduct(x, y);
    public void AddArrays(double[] x, double[] y, double[] result) => _managed.AddArrays(x, y, result);
    public void SubtractArrays(double[] x, double[] y, double[] result) => _managed.SubtractArrays(x, y, result);
    public void PointWiseMultiplyArrays(double[] x, double[] y, double[] result) => _managed.PointWiseMultiplyArrays(x, y, result);
    public void PointWiseDivideArrays(double[] x, double[] y, double[] result) => _managed.PointWiseDivideArrays(x, y, result);
    public void PointWisePowerArrays(double[] x, double[] y, double[] result) => _managed.PointWisePowerArrays(x, y, result);
    public double MatrixNorm(Norm norm, int rows, int columns, double[] matrix) => _managed.MatrixNorm(norm, rows, columns, matrix);
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, double alpha, double[] a, int rowsA, int columnsA, double[] b, int rowsB, int columnsB, double beta, double[] c) => _managed.MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    public void LUFactor(double[] data, int order, int[] ipiv) => _managed.LUFactor(data, order, ipiv);
    public void LUInverse(double[] a, int order) => _managed.LUInverse(a, order);
    public void LUInverseFactored(double[] a, int order, int[] ipiv) => _managed.LUInverseFactored(a, order, ipiv);
    public void LUSolve(int columnsOfB, double[] a, int order, double[] b) => _managed.LUSolve(columnsOfB, a, order, b);
    public void LUSolveFactored(int columnsOfB, double[] a, int order, int[] ipiv, double[] b) => _managed.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    public void CholeskyFactor(double[] a, int order) => _managed.CholeskyFactor(a, order);
    public void CholeskySolve(double[] a, int orderA, double[] b, int columnsB) => _managed.CholeskySolve(a, orderA, b, columnsB);
    public void CholeskySolveFactored(double[] a, int orderA, double[] b, int columnsB) => _managed.CholeskySolveFactored(a, orderA, b, columnsB);
    public void QRFactor(double[] a, int rowsA, int columnsA, double[] q, double[] tau) => _managed.QRFactor(a, rowsA, columnsA, q, tau);
    public void ThinQRFactor(double[] a, int rowsA, int columnsA, double[] r, double[] tau) => _managed.ThinQRFactor(a, rowsA, columnsA, r, tau);
    public void QRSolve(double[] a, int rows, int columns, double[] b, int columnsB, double[] x, QRMethod method) => _managed.QRSolve(a, rows, columns, b, columnsB, x, method);
    public void QRSolveFactored(double[] q, double[] r, int rowsA, int columnsA, double[] tau, double[] b, int columnsB, double[] x, QRMethod method) => _managed.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    public void SingularValueDecomposition(bool computeVectors, double[] a, int rowsA, int columnsA, double[] s, double[] u, double[] vt) => _managed.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    public void SvdSolve(double[] a, int rowsA, int columnsA, double[] b, int columnsB, double[] x) => _managed.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    public void SvdSolveFactored(int rowsA, int columnsA, double[] s, double[] u, double[] vt, double[] b, int columnsB, double[] x) => _managed.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    public void EigenDecomp(bool isSymmetric, int order, double[] matrix, double[] matrixEv, Complex[] vectorEv, double[] matrixD) => _managed.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    public void AddVectorToScaledVector(float[] y, float alpha, float[] x, float[] result) => _managed.AddVectorToScaledVector(y, alpha, x, result);
    public void ScaleArray(float alpha, float[] x, float[] result) => _managed.ScaleArray(alpha, x, result);
    public void ConjugateArray(float[] x, float[] result) => _managed.ConjugateArray(x, result);
    public float DotProduct(float[] x, float[] y) => _managed.DotProduct(x, y);
    public void AddArrays(float[] x, float[] y, float[] result) => _managed.AddArrays(x, y, result);
    public void SubtractArrays(float[] x, float[] y, float[] result) => _managed.SubtractArrays(x, y, result);
    public void PointWiseMultiplyArrays(float[] x, float[] y, float[] result) => _managed.PointWiseMultiplyArrays(x, y, result);
    public void PointWiseDivideArrays(float[] x, float[] y, float[] result) => _managed.PointWiseDivideArrays(x, y, result);
    public void PointWisePowerArrays(float[] x, float[] y, float[] result) => _managed.PointWisePowerArrays(x, y, result);
    public double MatrixNorm(Norm norm, int rows, int columns, float[] matrix) => _managed.MatrixNorm(norm, rows, columns, matrix);
    public void MatrixMultiply(float[] x, int rowsX, int columnsX, float[] y, int rowsY, int columnsY, float[] result) => _managed.MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, float alpha, float[] a, int rowsA, int columnsA, float[] b, int rowsB, int columnsB, float beta, float[] c) => _managed.MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    public void LUFactor(float[] data, int order, int[] ipiv) => _managed.LUFactor(data, order, ipiv);
    public void LUInverse(float[] a, int order) => _managed.LUInverse(a, order);
    public void LUInverseFactored(float[] a, int order, int[] ipiv) => _managed.LUInverseFactored(a, order, ipiv);
    public void LUSolve(int columnsOfB, float[] a, int order, float[] b) => _managed.LUSolve(columnsOfB, a, order, b);
    public void LUSolveFactored(int columnsOfB, float[] a, int order, int[] ipiv, float[] b) => _managed.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    public void CholeskyFactor(float[] a, int order) => _managed.CholeskyFactor(a, order);
    public void CholeskySolve(float[] a, int orderA, float[] b, int columnsB) => _managed.CholeskySolve(a, orderA, b, columnsB);
    public void CholeskySolveFactored(float[] a, int orderA, float[] b, int columnsB) => _managed.CholeskySolveFactored(a, orderA, b, columnsB);
    public void QRFactor(float[] a, int rowsA, int columnsA, float[] q, float[] tau) => _managed.QRFactor(a, rowsA, columnsA, q, tau);
    public void ThinQRFactor(float[] a, int rowsA, int columnsA, float[] r, float[] tau) => _managed.ThinQRFactor(a, rowsA, columnsA, r, tau);
    public void QRSolve(float[] a, int rows, int columns, float[] b, int columnsB, float[] x, QRMethod method) => _managed.QRSolve(a, rows, columns, b, columnsB, x, method);
    public void QRSolveFactored(float[] q, float[] r, int rowsA, int columnsA, float[] tau, float[] b, int columnsB, float[] x, QRMethod method) => _managed.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    public void SingularValueDecomposition(bool computeVectors, float[] a, int rowsA, int columnsA, float[] s, float[] u, float[] vt) => _managed.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    public void SvdSolve(float[] a, int rowsA, int columnsA, float[] b, int columnsB, float[] x) => _managed.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    public void SvdSolveFactored(int rowsA, int columnsA, float[] s, float[] u, float[] vt, float[] b, int columnsB, float[] x) => _managed.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    public void EigenDecomp(bool isSymmetric, int order, float[] matrix, float[] matrixEv, Complex[] vectorEv, float[] matrixD) => _managed.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    public void AddVectorToScaledVector(Complex[] y, Complex alpha, Complex[] x, Complex[] result) => _managed.AddVectorToScaledVector(y, alpha, x, result);
    public void ScaleArray(Complex alpha, Complex[] x, Complex[] result) => _managed.ScaleArray(alpha, x, result);
    public void ConjugateArray(Complex[] x, Complex[] result) => _managed.ConjugateArray(x, result);
    public Complex DotProduct(Complex[] x, Complex[] y) => _managed.DotProduct(x, y);
    public void AddArrays(Complex[] x, Complex[] y, Complex[] result) => _managed.AddArrays(x, y, result);
    public void SubtractArrays(Complex[] x, Complex[] y, Complex[] result) => _managed.SubtractArrays(x, y, result);
    public void PointWiseMultiplyArrays(Complex[] x, Complex[] y, Complex[] result) => _managed.PointWiseMultiplyArrays(x, y, result);
    public void PointWiseDivideArrays(Complex[] x, Complex[] y, Complex[] result) => _managed.PointWiseDivideArrays(x, y, result);
    public void PointWisePowerArrays(Complex[] x, Complex[] y, Complex[] result) => _managed.PointWisePowerArrays(x, y, result);
    public double MatrixNorm(Norm norm, int rows, int columns, Complex[] matrix) => _managed.MatrixNorm(norm, rows, columns, matrix);
    public void MatrixMultiply(Complex[] x, int rowsX, int columnsX, Complex[] y, int rowsY, int columnsY, Complex[] result) => _managed.MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, Complex alpha, Complex[] a, int rowsA, int columnsA, Complex[] b, int rowsB, int columnsB, Complex beta, Complex[] c) => _managed.MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    public void LUFactor(Complex[] data, int order, int[] ipiv) => _managed.LUFactor(data, order, ipiv);
    public void LUInverse(Complex[] a, int order) => _managed.LUInverse(a, order);
    public void LUInverseFactored(Complex[] a, int order, int[] ipiv) => _managed.LUInverseFactored(a, order, ipiv);
    public void LUSolve(int columnsOfB, Complex[] a, int order, Complex[] b) => _managed.LUSolve(columnsOfB, a, order, b);
    public void LUSolveFactored(int columnsOfB, Complex[] a, int order, int[] ipiv, Complex[] b) => _managed.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    public void CholeskyFactor(Complex[] a, int order) => _managed.CholeskyFactor(a, order);
    public void CholeskySolve(Complex[] a, int orderA, Complex[] b, int columnsB) => _managed.CholeskySolve(a, orderA, b, columnsB);
    public void CholeskySolveFactored(Complex[] a, int orderA, Complex[] b, int columnsB) => _managed.CholeskySolveFactored(a, orderA, b, columnsB);
    public void QRFactor(Complex[] a, int rowsA, int columnsA, Complex[] q, Complex[] tau) => _managed.QRFactor(a, rowsA, columnsA, q, tau);
    public void ThinQRFactor(Complex[] a, int rowsA, int columnsA, Complex[] r, Complex[] tau) => _managed.ThinQRFactor(a, rowsA, columnsA, r, tau);
    public void QRSolve(Complex[] a, int rows, int columns, Complex[] b, int columnsB, Complex[] x, QRMethod method) => _managed.QRSolve(a, rows, columns, b, columnsB, x, method);
    public void QRSolveFactored(Complex[] q, Complex[] r, int rowsA, int columnsA, Complex[] tau, Complex[] b, int columnsB, Complex[] x, QRMethod method) => _managed.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    public void SingularValueDecomposition(bool computeVectors, Complex[] a, int rowsA, int columnsA, Complex[] s, Complex[] u, Complex[] vt) => _managed.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    public void SvdSolve(Complex[] a, int rowsA, int columnsA, Complex[] b, int columnsB, Complex[] x) => _managed.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    public void SvdSolveFactored(int rowsA, int columnsA, Complex[] s, Complex[] u, Complex[] vt, Complex[] b, int columnsB, Complex[] x) => _managed.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    public void EigenDecomp(bool isSymmetric, int order, Complex[] matrix, Complex[] matrixEv, Complex[] vectorEv, Complex[] matrixD) => _managed.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    public void AddVectorToScaledVector(Complex32[] y, Complex32 alpha, Complex32[] x, Complex32[] result) => _managed.AddVectorToScaledVector(y, alpha, x, result);
    public void ScaleArray(Complex32 alpha, Complex32[] x, Complex32[] result) => _managed.ScaleArray(alpha, x, result);
    public void ConjugateArray(Complex32[] x, Complex32[] result) => _managed.ConjugateArray(x, result);
    public Complex32 DotProduct(Complex32[] x, Complex32[] y) => _managed.DotProduct(x, y);
    public void AddArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _managed.AddArrays(x, y, result);
    public void SubtractArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _managed.SubtractArrays(x, y, result);
    public void PointWiseMultiplyArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _managed.PointWiseMultiplyArrays(x, y, result);
    public void PointWiseDivideArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _managed.PointWiseDivideArrays(x, y, result);
    public void PointWisePowerArrays(Complex32[] x, Complex32[] y, Complex32[] result) => _managed.PointWisePowerArrays(x, y, result);
    public double MatrixNorm(Norm norm, int rows, int columns, Complex32[] matrix) => _managed.MatrixNorm(norm, rows, columns, matrix);
    public void MatrixMultiply(Complex32[] x, int rowsX, int columnsX, Complex32[] y, int rowsY, int columnsY, Complex32[] result) => _managed.MatrixMultiply(x, rowsX, columnsX, y, rowsY, columnsY, result);
    public void MatrixMultiplyWithUpdate(Transpose transposeA, Transpose transposeB, Complex32 alpha, Complex32[] a, int rowsA, int columnsA, Complex32[] b, int rowsB, int columnsB, Complex32 beta, Complex32[] c) => _managed.MatrixMultiplyWithUpdate(transposeA, transposeB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, c);
    public void LUFactor(Complex32[] data, int order, int[] ipiv) => _managed.LUFactor(data, order, ipiv);
    public void LUInverse(Complex32[] a, int order) => _managed.LUInverse(a, order);
    public void LUInverseFactored(Complex32[] a, int order, int[] ipiv) => _managed.LUInverseFactored(a, order, ipiv);
    public void LUSolve(int columnsOfB, Complex32[] a, int order, Complex32[] b) => _managed.LUSolve(columnsOfB, a, order, b);
    public void LUSolveFactored(int columnsOfB, Complex32[] a, int order, int[] ipiv, Complex32[] b) => _managed.LUSolveFactored(columnsOfB, a, order, ipiv, b);
    public void CholeskyFactor(Complex32[] a, int order) => _managed.CholeskyFactor(a, order);
    public void CholeskySolve(Complex32[] a, int orderA, Complex32[] b, int columnsB) => _managed.CholeskySolve(a, orderA, b, columnsB);
    public void CholeskySolveFactored(Complex32[] a, int orderA, Complex32[] b, int columnsB) => _managed.CholeskySolveFactored(a, orderA, b, columnsB);
    public void QRFactor(Complex32[] a, int rowsA, int columnsA, Complex32[] q, Complex32[] tau) => _managed.QRFactor(a, rowsA, columnsA, q, tau);
    public void ThinQRFactor(Complex32[] a, int rowsA, int columnsA, Complex32[] r, Complex32[] tau) => _managed.ThinQRFactor(a, rowsA, columnsA, r, tau);
    public void QRSolve(Complex32[] a, int rows, int columns, Complex32[] b, int columnsB, Complex32[] x, QRMethod method) => _managed.QRSolve(a, rows, columns, b, columnsB, x, method);
    public void QRSolveFactored(Complex32[] q, Complex32[] r, int rowsA, int columnsA, Complex32[] tau, Complex32[] b, int columnsB, Complex32[] x, QRMethod method) => _managed.QRSolveFactored(q, r, rowsA, columnsA, tau, b, columnsB, x, method);
    public void SingularValueDecomposition(bool computeVectors, Complex32[] a, int rowsA, int columnsA, Complex32[] s, Complex32[] u, Complex32[] vt) => _managed.SingularValueDecomposition(computeVectors, a, rowsA, columnsA, s, u, vt);
    public void SvdSolve(Complex32[] a, int rowsA, int columnsA, Complex32[] b, int columnsB, Complex32[] x) => _managed.SvdSolve(a, rowsA, columnsA, b, columnsB, x);
    public void SvdSolveFactored(int rowsA, int columnsA, Complex32[] s, Complex32[] u, Complex32[] vt, Complex32[] b, int columnsB, Complex32[] x) => _managed.SvdSolveFactored(rowsA, columnsA, s, u, vt, b, columnsB, x);
    public void EigenDecomp(bool isSymmetric, int order, Complex32[] matrix, Complex32[] matrixEv, Complex[] vectorEv, Complex32[] matrixD) => _managed.EigenDecomp(isSymmetric, order, matrix, matrixEv, vectorEv, matrixD);
    public bool IsAvailable() => _managed.IsAvailable();
    public void InitializeVerify() => _managed.InitializeVerify();
    public void FreeResources() => _managed.FreeResources();
}
