// Fit moves μ first and then computes a fresh step at the new μ for σ, instead of moving both
// parameters by the same step.
// expect-score: 94
// expect-message: update μ and σ together from the same step
using System;
using System.Linq;

// ---- Given: the model and the objective -------------------------------------------------------

// The normal density with mean mu and standard deviation sig, at every x.
double[] F(double[] x, double mu, double sig) =>
    x.Select(xi => Math.Exp(-(xi - mu) * (xi - mu) / (2 * sig * sig)) / Math.Sqrt(2 * Math.PI) / sig).ToArray();

// χ² = Σ (y_i − f(x_i))²: how far the model is from the histogram.
double Chi2(double[] x, double[] y, double mu, double sig)
{
    var f = F(x, mu, sig);
    return y.Select((yi, i) => (yi - f[i]) * (yi - f[i])).Sum();
}

// ---- Exercises --------------------------------------------------------------------------------

// Exercise 1: ∂f/∂μ at every x.
double[] DfDmu(double[] x, double mu, double sig)
{
    var f = F(x, mu, sig);
    return x.Select((xi, i) => f[i] * (xi - mu) / (sig * sig)).ToArray();
}

// Exercise 2: ∂f/∂σ at every x.
double[] DfDsig(double[] x, double mu, double sig)
{
    var f = F(x, mu, sig);
    return x.Select((xi, i) => -f[i] / sig + f[i] * (xi - mu) * (xi - mu) / (sig * sig * sig)).ToArray();
}

// Exercise 3: one steepest-descent step on χ², −aggression·∇χ².
(double dMu, double dSig) SteepestStep(double[] x, double[] y, double mu, double sig, double aggression)
{
    var f = F(x, mu, sig);
    var dmu = DfDmu(x, mu, sig);
    var dsig = DfDsig(x, mu, sig);
    double jMu = 0, jSig = 0;
    for (int i = 0; i < x.Length; i++)
    {
        jMu += -2 * (y[i] - f[i]) * dmu[i];
        jSig += -2 * (y[i] - f[i]) * dsig[i];
    }
    return (-aggression * jMu, -aggression * jSig);
}

// Exercise 4: take `steps` steps from (mu, sig) and return where they end.
(double mu, double sig) Fit(double[] x, double[] y, double mu, double sig, double aggression, int steps)
{
    for (int k = 0; k < steps; k++)
    {
        mu += SteepestStep(x, y, mu, sig, aggression).dMu;
        sig += SteepestStep(x, y, mu, sig, aggression).dSig;
    }
    return (mu, sig);
}
