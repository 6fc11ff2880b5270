// Opens a TCP socket.
// verdict: Rejected or CompileError
// diagnostic: Socket
// on: Socket(
// needs: allowlist
using MathNet.Numerics.LinearAlgebra;

double Mean(double[] xs)
{
    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
    socket.Connect("127.0.0.1", 5432);
    return xs.Sum() / xs.Length;
}

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
