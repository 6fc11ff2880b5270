// An exception with a 20-million-character message that also tries to reach the host log.
// verdict: Graded
// case: Mean Passed
// case: Scale RuntimeError Submission+Noisy
class Noisy(string message) : Exception(message);

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => throw new Noisy("HOSTILE " + new string('m', 20_000_000));
