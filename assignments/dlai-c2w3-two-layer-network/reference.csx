using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

// Keep these three records as they are: the grader reads and writes them by their property names.
public record Parameters2(Matrix<double> W1, Matrix<double> b1, Matrix<double> W2, Matrix<double> b2);
public record Cache(Matrix<double> Z1, Matrix<double> A1, Matrix<double> Z2, Matrix<double> A2);
public record Grads(Matrix<double> dW1, Matrix<double> db1, Matrix<double> dW2, Matrix<double> db2);

// Exercise 1
Matrix<double> Sigmoid(Matrix<double> Z) => Z.Map(z => 1.0 / (1.0 + Math.Exp(-z)));

// Exercise 2
(int nX, int nH, int nY) LayerSizes(Matrix<double> X, Matrix<double> Y) => (X.RowCount, 2, Y.RowCount);

// Exercise 3
Parameters2 InitializeParameters(int nX, int nH, int nY, Random rng)
{
    var W1 = Matrix<double>.Build.Dense(nH, nX, (i, j) => Normal.Sample(rng, 0, 1) * 0.01);
    var W2 = Matrix<double>.Build.Dense(nY, nH, (i, j) => Normal.Sample(rng, 0, 1) * 0.01);
    return new Parameters2(W1, Matrix<double>.Build.Dense(nH, 1), W2, Matrix<double>.Build.Dense(nY, 1));
}

// W·X + b with the column b added to every column.
Matrix<double> Affine(Matrix<double> W, Matrix<double> X, Matrix<double> b) =>
    (W * X).MapIndexed((i, j, z) => z + b[i, 0]);

// Exercise 4
(Matrix<double> A2, Cache cache) ForwardPropagation(Matrix<double> X, Parameters2 p)
{
    var Z1 = Affine(p.W1, X, p.b1);
    var A1 = Sigmoid(Z1);
    var Z2 = Affine(p.W2, A1, p.b2);
    var A2 = Sigmoid(Z2);
    return (A2, new Cache(Z1, A1, Z2, A2));
}

// Exercise 5: log-loss averaged over the m examples.
double ComputeCost(Matrix<double> A2, Matrix<double> Y)
{
    int m = Y.ColumnCount;
    double total = 0;
    for (int i = 0; i < Y.RowCount; i++)
    {
        for (int j = 0; j < m; j++)
        {
            total += -Y[i, j] * Math.Log(A2[i, j]) - (1 - Y[i, j]) * Math.Log(1 - A2[i, j]);
        }
    }
    return total / m;
}

// Exercise 6
Grads BackwardPropagation(Parameters2 p, Cache cache, Matrix<double> X, Matrix<double> Y)
{
    int m = X.ColumnCount;
    var dZ2 = cache.A2 - Y;
    var dW2 = dZ2 * cache.A1.Transpose() / m;
    var db2 = dZ2.RowSums().ToColumnMatrix() / m;
    var dZ1 = (p.W2.Transpose() * dZ2).PointwiseMultiply(cache.A1.PointwiseMultiply(1 - cache.A1));
    var dW1 = dZ1 * X.Transpose() / m;
    var db1 = dZ1.RowSums().ToColumnMatrix() / m;
    return new Grads(dW1, db1, dW2, db2);
}

// Exercise 7
Parameters2 UpdateParameters(Parameters2 p, Grads g, double learningRate) => new(
    p.W1 - learningRate * g.dW1,
    p.b1 - learningRate * g.db1,
    p.W2 - learningRate * g.dW2,
    p.b2 - learningRate * g.db2);

// Exercise 8
Parameters2 NnModel(Matrix<double> X, Matrix<double> Y, Parameters2 initial, int numIterations, double learningRate)
{
    var p = initial;
    for (int i = 0; i < numIterations; i++)
    {
        var (A2, cache) = ForwardPropagation(X, p);
        double cost = ComputeCost(A2, Y);
        var grads = BackwardPropagation(p, cache, X, Y);
        p = UpdateParameters(p, grads, learningRate);
    }
    return p;
}

// Exercise 9
bool[,] Predict(Matrix<double> X, Parameters2 p)
{
    var (A2, _) = ForwardPropagation(X, p);
    var result = new bool[A2.RowCount, A2.ColumnCount];
    for (int i = 0; i < A2.RowCount; i++)
    {
        for (int j = 0; j < A2.ColumnCount; j++)
        {
            result[i, j] = A2[i, j] > 0.5;
        }
    }
    return result;
}
