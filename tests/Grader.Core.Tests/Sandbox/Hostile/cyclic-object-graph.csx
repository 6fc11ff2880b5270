// A result whose property returns a new instance every time: an endless graph to convert.
// verdict: Graded
// case: Mean RuntimeError UnsupportedResult
// case: Scale Passed
// message: nested more than
class Node
{
    public double Value => 1;
    public Node Next => new Node();
}

object Mean(double[] xs) => new Node();

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
