// An exception with a 20-million-character message that also tries to reach the host log.
// verdict: Graded
// case: Mean Passed
// case: scale-small RuntimeError Submission+Noisy
// case: scale-hidden RuntimeError OtherException
class Noisy(string message) : Exception(message);

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => throw new Noisy("HOSTILE " + new string('m', 20_000_000));
