using System;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

// Keep these three records as they are: the grader reads and writes them by their property names.
public record Parameters2(Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2);
public record Cache(Matrix<double> Z1, Matrix<double> A1, Matrix<double> Z2, Matrix<double> A2);
public record Grads(Matrix<double> dW1, Matrix<double> db1, Matrix<double> dW2, Matrix<double> db2);

// Exercise 1: the sigmoid of every entry.
Matrix<double> Sigmoid(Matrix<double> Z)
{
    throw new NotImplementedException();
}

// Exercise 2: input size, hidden size (always 2) and output size.
(int nX, int nH, int nY) LayerSizes(Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 3: small random weights, zero biases.
Parameters2 InitializeParameters(int nX, int nH, int nY, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 4: the output A2 and the cache (Z1, A1, Z2, A2).
(Matrix<double> A2, Cache cache) ForwardPropagation(Matrix<double> X, Parameters2 p)
{
    throw new NotImplementedException();
}

// Exercise 5: the log-loss.
double ComputeCost(Matrix<double> A2, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 6: the gradients of the log-loss with respect to every parameter.
Grads BackwardPropagation(Parameters2 p, Cache cache, Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 7: one gradient-descent step.
Parameters2 UpdateParameters(Parameters2 p, Grads g, double learningRate)
{
    throw new NotImplementedException();
}

// Exercise 8: numIterations rounds of forward, cost, backward and update, from the given parameters.
Parameters2 NnModel(Matrix<double> X, Matrix<double> Y, Parameters2 initial, int numIterations, double learningRate)
{
    throw new NotImplementedException();
}

// Exercise 9: true where the network's output is above 0.5.
bool[,] Predict(Matrix<double> X, Parameters2 p)
{
    throw new NotImplementedException();
}
