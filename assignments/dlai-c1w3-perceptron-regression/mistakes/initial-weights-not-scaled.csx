// InitializeParameters draws W from N(0, 1) but forgets the factor 0.01.
// expect-score: 90
// expect-message: Scale the normal draws by 0.01
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

// The parameters of the single perceptron: weights W (nY×nX) and bias b (nY×1).
public record Parameters(Matrix<double> W, Matrix<double> b);

// Exercise 1
((int rows, int cols) shapeX, (int rows, int cols) shapeY, int m) DataShapes(Matrix<double> X, Matrix<double> Y)
{
    return ((X.RowCount, X.ColumnCount), (Y.RowCount, Y.ColumnCount), X.ColumnCount);
}

// Exercise 2
(int nX, int nY) LayerSizes(Matrix<double> X, Matrix<double> Y) => (X.RowCount, Y.RowCount);

// Exercise 3
Parameters InitializeParameters(int nX, int nY, Random rng)
{
    var W = Matrix<double>.Build.Dense(nY, nX, (i, j) => Normal.Sample(rng, 0, 1));
    var b = Matrix<double>.Build.Dense(nY, 1);
    return new Parameters(W, b);
}

// Exercise 4: Ŷ = W·X + b, with b added to every column.
Matrix<double> ForwardPropagation(Matrix<double> X, Parameters p)
{
    var Z = p.W * X;
    return Z.MapIndexed((i, j, z) => z + p.b[i, 0]);
}

// Exercise 5
double ComputeCost(Matrix<double> Yhat, Matrix<double> Y)
{
    int m = Y.ColumnCount;
    var diff = Yhat - Y;
    return diff.PointwisePower(2).Enumerate().Sum() / (2.0 * m);
}

Parameters TrainStep(Parameters p, Matrix<double> Yhat, Matrix<double> X, Matrix<double> Y, double learningRate)
{
    int m = X.ColumnCount;
    var dZ = Yhat - Y;
    var dW = dZ * X.Transpose() / m;
    var db = dZ.RowSums().ToColumnMatrix() / m;
    return new Parameters(p.W - learningRate * dW, p.b - learningRate * db);
}

// Exercise 6
Parameters NnModel(Matrix<double> X, Matrix<double> Y, int numIterations, Random rng)
{
    var (nX, nY) = LayerSizes(X, Y);
    var p = InitializeParameters(nX, nY, rng);
    for (int i = 0; i < numIterations; i++)
    {
        var Yhat = ForwardPropagation(X, p);
        double cost = ComputeCost(Yhat, Y);
        p = TrainStep(p, Yhat, X, Y, 1.2);
    }
    return p;
}

// Exercise 7: normalize Xpred with the statistics of X, predict, undo the normalization of Y.
Matrix<double> Predict(Matrix<double> X, Matrix<double> Y, Parameters p, Matrix<double> Xpred)
{
    var Xn = Xpred.Clone();
    for (int i = 0; i < X.RowCount; i++)
    {
        var (mean, std) = PopulationMeanStd(X.Row(i));
        Xn.SetRow(i, (Xpred.Row(i) - mean) / std);
    }
    var YhatNorm = ForwardPropagation(Xn, p);
    var Yhat = YhatNorm.Clone();
    for (int i = 0; i < Y.RowCount; i++)
    {
        var (mean, std) = PopulationMeanStd(Y.Row(i));
        Yhat.SetRow(i, YhatNorm.Row(i) * std + mean);
    }
    return Yhat;
}

(double mean, double std) PopulationMeanStd(Vector<double> v)
{
    double mean = v.Average();
    double variance = v.Select(x => (x - mean) * (x - mean)).Average();
    return (mean, Math.Sqrt(variance));
}
