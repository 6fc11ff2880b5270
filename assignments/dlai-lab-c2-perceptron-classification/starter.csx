using System;
using MathNet.Numerics.LinearAlgebra;

// Exercise 1: σ(z) = 1 / (1 + e^(−z)) for every entry of Z.
Matrix<double> Sigmoid(Matrix<double> Z)
{
    throw new NotImplementedException();
}

// Exercise 2: n_x = rows of X, n_y = rows of Y (examples are columns).
(int nX, int nY) LayerSizes(Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 3: A = σ(W·X + b), with b (n_y×1) added to every column.
Matrix<double> ForwardPropagation(Matrix<double> X, Matrix<double> W, Matrix<double> b)
{
    throw new NotImplementedException();
}

// Exercise 4: the log-loss averaged over the m examples, and the cost at given parameters.
double ComputeCost(Matrix<double> A, Matrix<double> Y)
{
    throw new NotImplementedException();
}

double CostAt(Matrix<double> W, Matrix<double> b, Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 5: dW (shape of W) and db (shape of b).
(Matrix<double> dW, Matrix<double> db) BackwardPropagation(Matrix<double> A, Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 6: one gradient step; return new matrices.
(Matrix<double> W, Matrix<double> b) UpdateParameters(Matrix<double> W, Matrix<double> b,
    Matrix<double> dW, Matrix<double> db, double learningRate)
{
    throw new NotImplementedException();
}

// Exercise 7: numIterations rounds of forward, backward, update, starting from W0 and b0.
(Matrix<double> W, Matrix<double> b) Train(Matrix<double> X, Matrix<double> Y, Matrix<double> W0, Matrix<double> b0,
    int numIterations, double learningRate)
{
    throw new NotImplementedException();
}

// Exercise 8: 1 where the predicted probability is above 0.5, else 0.
Matrix<double> Predict(Matrix<double> X, Matrix<double> W, Matrix<double> b)
{
    throw new NotImplementedException();
}

// ---------------------------------------------------------------------------------------------
// Provided: the gradients as functions of the parameters, for the grader's finite-difference
// checks. Do not change this part.
// ---------------------------------------------------------------------------------------------

Matrix<double> GradW(Matrix<double> W, Matrix<double> b, Matrix<double> X, Matrix<double> Y) =>
    BackwardPropagation(ForwardPropagation(X, W, b), X, Y).dW;

Matrix<double> GradB(Matrix<double> W, Matrix<double> b, Matrix<double> X, Matrix<double> Y) =>
    BackwardPropagation(ForwardPropagation(X, W, b), X, Y).db;
