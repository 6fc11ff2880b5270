// Nested lambdas passed to overloaded methods: binding time doubles with every level.
// The compile deadline must end it and the next submission must find a fresh compiler.
// verdict: Rejected or CompileError
// diagnostic: took longer than
using MathNet.Numerics.LinearAlgebra;

int F(Func<int, int> f) => 0;
int F(Func<string, int> f) => 0;
int F(Func<double, int> f) => 0;

int bomb = F(x1 => F(x2 => F(x3 => F(x4 => F(x5 => F(x6 => F(x7 => F(x8 => F(x9 => F(x10 => F(x11 => F(x12 => F(x13 => F(x14 => 0))))))))))))));

double Mean(double[] xs) => xs.Sum() / xs.Length;

Matrix<double> Scale(Matrix<double> M, double k) => M * k;
