using System;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

// The parameters of the single perceptron: weights W (nY×nX) and bias b (nY×1). Keep this record as it is.
public record Parameters(Matrix<double> W, Matrix<double> b);

// Exercise 1: the shapes of X and Y, and the number of examples m.
((int rows, int cols) shapeX, (int rows, int cols) shapeY, int m) DataShapes(Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 2: the sizes of the input layer (nX) and of the output layer (nY).
(int nX, int nY) LayerSizes(Matrix<double> X, Matrix<double> Y)
{
    throw new NotImplementedException();
}

// Exercise 3: W (nY×nX) small random values, b (nY×1) zeros.
Parameters InitializeParameters(int nX, int nY, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 4: Ŷ = W·X + b, b added to every column.
Matrix<double> ForwardPropagation(Matrix<double> X, Parameters p)
{
    throw new NotImplementedException();
}

// Exercise 5: the cost (1/2m)·Σ(ŷ − y)², and one gradient-descent step.
double ComputeCost(Matrix<double> Yhat, Matrix<double> Y)
{
    throw new NotImplementedException();
}

Parameters TrainStep(Parameters p, Matrix<double> Yhat, Matrix<double> X, Matrix<double> Y, double learningRate)
{
    throw new NotImplementedException();
}

// Exercise 6: initialize, then numIterations times forward propagation, cost and TrainStep (learning rate 1.2).
Parameters NnModel(Matrix<double> X, Matrix<double> Y, int numIterations, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 7: predictions in original units for a model trained on normalized data.
Matrix<double> Predict(Matrix<double> X, Matrix<double> Y, Parameters p, Matrix<double> Xpred)
{
    throw new NotImplementedException();
}
