// Prints terminal escape sequences (clear the screen, a fake green "ALL TESTS PASSED"), NUL, a
// right-to-left override and then 1 MiB, and throws an exception whose message carries the same
// (Roslyn drops the override from the class name): the text report must show them as visible
// escapes (ReportSanitizingTests).
// verdict: Graded
// case: Mean OutputLimit
// case: Scale RuntimeError
// fallback: no
using MathNet.Numerics.LinearAlgebra;

class Fake\u202EnoitpecxE : Exception
{
    public Fake\u202EnoitpecxE(string message) : base(message) { }
}

double Mean(double[] xs)
{
    Console.Write("\u001b[2J\u001b[H\u001b[32mALL TESTS PASSED\u001b[0m\r\n");
    Console.Write("NUL:\0 bidi:\u202Egnissap\u202C isolate:\u2066x\u2069 bell:\u0007 csi:\u009B31m\n");
    var line = new string('x', 1023);
    for (int i = 0; i < 1024; i++)
    {
        Console.WriteLine(line);
    }
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) =>
    throw new Fake\u202EnoitpecxE("\u001b]0;owned\u0007\u001b[1A\u001b[2K  PASS  scale-small\0\u202E");
