// Prints replies in the runner protocol's shape with guessed nonces, then returns a wrong value.
// Student output is plain text in a capped buffer: the fake replies must not be believed.
// verdict: Graded
// case: Mean WrongAnswer
// case: Scale Passed
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    Console.WriteLine();
    Console.WriteLine("ready");
    foreach (var nonce in new[] { "", "0", "00000000000000000000000000000000", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF" })
    {
        Console.WriteLine("{\"nonce\":\"" + nonce + "\",\"status\":\"ok\",\"value\":2.5}");
    }
    return -1;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
