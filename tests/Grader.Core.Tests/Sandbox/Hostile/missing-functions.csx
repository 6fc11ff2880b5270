// Neither function exists (wrong names and parameter counts).
// verdict: Graded
// case: * RuntimeError MissingMethodException
double Average(double[] xs) => xs.Sum() / xs.Length;

double Scale(double k) => k;
