using System.Globalization;

namespace Grader.Core.Grading.Comparators;

/// <summary>How numbers and text from the student appear in feedback.</summary>
internal static class FeedbackText
{
    /// <summary>A value as the student would recognise it: the shortest text that round-trips.</summary>
    public static string Value(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A value we computed (a sum, a norm): ten significant digits hide rounding noise but still show an error of tolerance size.</summary>
    public static string Computed(double x) => x.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>A difference or tolerance: three significant digits are plenty.</summary>
    public static string Small(double x)
    {
        if (x == 0 || !double.IsFinite(x))
        {
            return Value(x);
        }
        var magnitude = Math.Abs(x);
        if (magnitude is >= 1e-3 and < 1e4)
        {
            var decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(magnitude)));
            return Value(Math.Round(x, decimals, MidpointRounding.AwayFromZero));
        }
        return x.ToString("0.0e-0", CultureInfo.InvariantCulture);
    }

    /// <summary>A count of standard errors and similar ratios: one decimal.</summary>
    public static string Ratio(double x) =>
        double.IsFinite(x) && Math.Abs(x) < 1e6 ? x.ToString("0.0", CultureInfo.InvariantCulture) : Small(x);

    /// <summary>Text the student controls (an exception message, a property name), cut to a length fit for feedback.</summary>
    public static string Clip(string? text, int maxChars)
    {
        text ??= "";
        return text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), "…");
    }

    public static string Count(int n, string singular, string plural) => n == 1 ? $"1 {singular}" : $"{n} {plural}";
}
