// Descend updates the caller's start array in place: the end point is right, but the argument
// is changed.
// expect-score: 95
// expect-message: Descend must not move the caller's start array
using System;
using System.Linq;

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

double Norm(double[] v) => Math.Sqrt(v.Sum(t => t * t));

// ---- Exercises --------------------------------------------------------------------------------

// Exercise 1: the steepest-descent step, −γ·J with γ = 0.5.
double[] NextStep(double f, double[] J)
{
    const double gamma = 0.5;
    return J.Select(j => -gamma * j).ToArray();
}

// Exercise 2: slide down from start, at most `budget` steps, stopping once the ground is flat.
double[] Descend(Sandpit pit, double[] start, int budget)
{
    var p = start;
    for (int k = 0; k < budget; k++)
    {
        var J = Gradient(pit, p);
        if (Norm(J) < 1e-6) break;
        var step = NextStep(Depth(pit, p), J);
        for (int i = 0; i < p.Length; i++) p[i] += step[i];
    }
    return p;
}

// Exercise 3: is the phone found (gradient norm below 1e-6) within the budget?
bool FoundWithin(Sandpit pit, double[] start, int budget)
{
    var p = Descend(pit, start, budget);
    return Norm(Gradient(pit, p)) < 1e-6;
}
