// UpdateParameters adds the gradient instead of subtracting it, so training climbs the cost.
// expect-score: 86.67
// expect-message: step against the gradient
using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: the logistic sigmoid, entry by entry.
Matrix<double> Sigmoid(Matrix<double> Z) => Z.Map(z => 1 / (1 + Math.Exp(-z)));

// Exercise 2: input size (rows of X) and output size (rows of Y).
(int nX, int nY) LayerSizes(Matrix<double> X, Matrix<double> Y) => (X.RowCount, Y.RowCount);

// Exercise 3: A = σ(W·X + b), b added to every column.
Matrix<double> ForwardPropagation(Matrix<double> X, Matrix<double> W, Matrix<double> b)
{
    var Z = W * X;
    for (int j = 0; j < Z.ColumnCount; j++)
        Z.SetColumn(j, Z.Column(j) + b.Column(0));
    return Sigmoid(Z);
}

// Exercise 4: mean log-loss, and the cost as a function of the parameters.
double ComputeCost(Matrix<double> A, Matrix<double> Y)
{
    int m = Y.ColumnCount;
    double total = 0;
    for (int i = 0; i < Y.RowCount; i++)
        for (int j = 0; j < m; j++)
            total += -Y[i, j] * Math.Log(A[i, j]) - (1 - Y[i, j]) * Math.Log(1 - A[i, j]);
    return total / m;
}

double CostAt(Matrix<double> W, Matrix<double> b, Matrix<double> X, Matrix<double> Y) =>
    ComputeCost(ForwardPropagation(X, W, b), Y);

// Exercise 5: gradients of the cost.
(Matrix<double> dW, Matrix<double> db) BackwardPropagation(Matrix<double> A, Matrix<double> X, Matrix<double> Y)
{
    int m = X.ColumnCount;
    var dZ = A - Y;
    var dW = dZ * X.Transpose() / m;
    var db = Matrix<double>.Build.Dense(dZ.RowCount, 1, (i, _) => dZ.Row(i).Sum() / m);
    return (dW, db);
}

// Exercise 6: one gradient step, returning new matrices.
(Matrix<double> W, Matrix<double> b) UpdateParameters(Matrix<double> W, Matrix<double> b,
    Matrix<double> dW, Matrix<double> db, double learningRate) =>
    (W + learningRate * dW, b + learningRate * db);

// Exercise 7: the training loop.
(Matrix<double> W, Matrix<double> b) Train(Matrix<double> X, Matrix<double> Y, Matrix<double> W0, Matrix<double> b0,
    int numIterations, double learningRate)
{
    var (W, b) = (W0, b0);
    for (int i = 0; i < numIterations; i++)
    {
        var A = ForwardPropagation(X, W, b);
        var (dW, db) = BackwardPropagation(A, X, Y);
        (W, b) = UpdateParameters(W, b, dW, db, learningRate);
    }
    return (W, b);
}

// Exercise 8: class 1 where the predicted probability is above 0.5.
Matrix<double> Predict(Matrix<double> X, Matrix<double> W, Matrix<double> b) =>
    ForwardPropagation(X, W, b).Map(a => a > 0.5 ? 1.0 : 0.0);

// ---------------------------------------------------------------------------------------------
// Provided: the gradients as functions of the parameters, for the grader's finite-difference
// checks. Do not change this part.
// ---------------------------------------------------------------------------------------------

Matrix<double> GradW(Matrix<double> W, Matrix<double> b, Matrix<double> X, Matrix<double> Y) =>
    BackwardPropagation(ForwardPropagation(X, W, b), X, Y).dW;

Matrix<double> GradB(Matrix<double> W, Matrix<double> b, Matrix<double> X, Matrix<double> Y) =>
    BackwardPropagation(ForwardPropagation(X, W, b), X, Y).db;
