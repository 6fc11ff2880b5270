using System;
using MathNet.Numerics.LinearAlgebra;

// ---- Given: activation, feed-forward, cost and the two worked Jacobians ----------------------

// The logistic function and its derivative, applied to every entry of a matrix.
Matrix<double> Sigma(Matrix<double> z) => z.Map(v => 1 / (1 + Math.Exp(-v)));
Matrix<double> DSigma(Matrix<double> z) => z.Map(v => Math.Pow(Math.Cosh(v / 2), -2) / 4);

// W·a + b, with the bias column b added to every column (every training point).
Matrix<double> Affine(Matrix<double> W, Matrix<double> a, Matrix<double> b) =>
    W * a + b * Matrix<double>.Build.Dense(1, a.ColumnCount, 1.0);

// Feed-forward: every activation and weighted sum, one column per training point.
(Matrix<double> a0, Matrix<double> z1, Matrix<double> a1, Matrix<double> z2, Matrix<double> a2, Matrix<double> z3, Matrix<double> a3)
    NetworkFunction(Matrix<double> a0, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    var z1 = Affine(W1, a0, b1);
    var a1 = Sigma(z1);
    var z2 = Affine(W2, a1, b2);
    var a2 = Sigma(z2);
    var z3 = Affine(W3, a2, b3);
    var a3 = Sigma(z3);
    return (a0, z1, a1, z2, a2, z3, a3);
}

// C = ‖a³ − y‖² / N, N = number of training points.
double Cost(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    var a3 = NetworkFunction(x, W1, b1, W2, b2, W3, b3).a3;
    double norm = (a3 - y).FrobeniusNorm();
    return norm * norm / x.ColumnCount;
}

// Worked example: ∂C/∂W³.
Matrix<double> JW3(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    var (a0, z1, a1, z2, a2, z3, a3) = NetworkFunction(x, W1, b1, W2, b2, W3, b3);
    var J = 2 * (a3 - y);
    J = J.PointwiseMultiply(DSigma(z3));
    return J * a2.Transpose() / x.ColumnCount;
}

// Worked example: ∂C/∂W², one layer further back.
Matrix<double> JW2(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    var (a0, z1, a1, z2, a2, z3, a3) = NetworkFunction(x, W1, b1, W2, b2, W3, b3);
    var J = 2 * (a3 - y);
    J = J.PointwiseMultiply(DSigma(z3));
    J = (J.Transpose() * W3).Transpose();
    J = J.PointwiseMultiply(DSigma(z2));
    return J * a1.Transpose() / x.ColumnCount;
}

// ---- Exercises --------------------------------------------------------------------------------

// Exercise 1: ∂C/∂b³ (2×1).
Matrix<double> JB3(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    throw new NotImplementedException();
}

// Exercise 2: ∂C/∂b² (7×1).
Matrix<double> JB2(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    throw new NotImplementedException();
}

// Exercise 3: ∂C/∂W¹ (6×1).
Matrix<double> JW1(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    throw new NotImplementedException();
}

// Exercise 4: ∂C/∂b¹ (6×1).
Matrix<double> JB1(Matrix<double> x, Matrix<double> y, Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2, Matrix<double> W3, Matrix<double> b3)
{
    throw new NotImplementedException();
}
