namespace Grader.Core.Grading.Comparators;

/// <summary>
/// numpy <c>isclose</c> for one pair: <c>|a − e| ≤ atol + rtol·|e|</c>, relative to the expected
/// value only. NaN is never close to anything (to NaN only with <see cref="EqualNan"/>) and an
/// infinity only to the same infinity.
/// </summary>
internal readonly record struct Tolerance(double Rtol, double Atol, bool EqualNan)
{
    public static Tolerance Exact(bool equalNan) => new(0, 0, equalNan);

    public bool IsExact => Rtol == 0 && Atol == 0;

    public double For(double expected) => Atol + Rtol * Math.Abs(expected);

    public bool Accepts(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return EqualNan && double.IsNaN(expected) && double.IsNaN(actual);
        }
        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }
        return Math.Abs(actual - expected) <= For(expected);
    }

    /// <summary>|a − e|, with 0 for equal infinities and NaN when either is NaN.</summary>
    public static double Difference(double expected, double actual) =>
        expected == actual ? 0 : Math.Abs(actual - expected);
}
