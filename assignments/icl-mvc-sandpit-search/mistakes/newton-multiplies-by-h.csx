// NewtonStep returns −H·J instead of −H⁻¹·J.
// expect-score: 24.92
// expect-message: multiply by H⁻¹, not by H
using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

// ---- Given: the sandpit -----------------------------------------------------------------------

// The depth of the sand is a gentle bowl ½(p − c)ᵀA(p − c) with Gaussian wells dug into it; each
// well is [x, y, depth, width]. The phone lies at the deepest point you can slide down to.
record Sandpit(double[,] A, double[] c, double[][] wells);

double Depth(Sandpit pit, double[] p)
{
    double dx = p[0] - pit.c[0], dy = p[1] - pit.c[1];
    double f = 0.5 * (dx * (pit.A[0, 0] * dx + pit.A[0, 1] * dy) + dy * (pit.A[1, 0] * dx + pit.A[1, 1] * dy));
    foreach (var w in pit.wells)
    {
        double ux = p[0] - w[0], uy = p[1] - w[1];
        f -= w[2] * Math.Exp(-(ux * ux + uy * uy) / (2 * w[3] * w[3]));
    }
    return f;
}

// The Jacobian (gradient) of the depth at p.
double[] Gradient(Sandpit pit, double[] p)
{
    double dx = p[0] - pit.c[0], dy = p[1] - pit.c[1];
    var g = new[] { pit.A[0, 0] * dx + pit.A[0, 1] * dy, pit.A[1, 0] * dx + pit.A[1, 1] * dy };
    foreach (var w in pit.wells)
    {
        double ux = p[0] - w[0], uy = p[1] - w[1];
        double e = w[2] * Math.Exp(-(ux * ux + uy * uy) / (2 * w[3] * w[3]));
        g[0] += e * ux / (w[3] * w[3]);
        g[1] += e * uy / (w[3] * w[3]);
    }
    return g;
}

// The Hessian (matrix of second derivatives) of the depth at p.
double[,] Hessian(Sandpit pit, double[] p)
{
    var H = (double[,])pit.A.Clone();
    foreach (var w in pit.wells)
    {
        double[] u = { p[0] - w[0], p[1] - w[1] };
        double s2 = w[3] * w[3];
        double e = w[2] * Math.Exp(-(u[0] * u[0] + u[1] * u[1]) / (2 * s2));
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                H[i, j] += e * ((i == j ? 1 : 0) / s2 - u[i] * u[j] / (s2 * s2));
    }
    return H;
}

double Norm(double[] v) => Math.Sqrt(v.Sum(t => t * t));

// ---- Exercises --------------------------------------------------------------------------------

// Exercise 1: the Newton step −H⁻¹·J (solve H·s = −J).
double[] NewtonStep(double[] J, double[,] H)
{
    var h = Matrix<double>.Build.DenseOfArray(H);
    var j = Vector<double>.Build.DenseOfArray(J);
    return (-(h * j)).ToArray();
}

// Exercise 2: Newton, unless it points uphill or is too long; then steepest descent with γ = 0.5.
double[] NextStep(double f, double[] J, double[,] H)
{
    const double gamma = 0.5;
    var step = NewtonStep(J, H);
    double downhill = step.Zip(J, (s, j) => -s * j).Sum();
    if (downhill <= 0 || Norm(step) > 2)
        step = J.Select(j => -gamma * j).ToArray();
    return step;
}

// Exercise 3: search with NextStep, at most `budget` steps, stopping once the ground is flat.
double[] Search(Sandpit pit, double[] start, int budget)
{
    var p = (double[])start.Clone();
    for (int k = 0; k < budget; k++)
    {
        var J = Gradient(pit, p);
        if (Norm(J) < 1e-6) break;
        var step = NextStep(Depth(pit, p), J, Hessian(pit, p));
        p = p.Zip(step, (a, s) => a + s).ToArray();
    }
    return p;
}
