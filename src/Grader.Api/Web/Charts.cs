using System.Globalization;

namespace Grader.Api.Web;

// One bar of a chart. Marked bars (hidden cases) are drawn hatched and say why in MarkLabel.
public sealed record ChartBar(string Label, double Value, string ValueText, string Tooltip, bool Marked = false);

// Axis arithmetic for the server-rendered SVG charts: ticks at 1, 2 or 5 times a power of ten.
public static class ChartAxis
{
    public static IReadOnlyList<double> Ticks(double max, int most = 5)
    {
        if (max <= 0)
        {
            return [0, 1];
        }
        var rough = max / most;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * power).First(s => s >= rough);
        // Counts are whole numbers: never a tick at 0.5 students.
        step = Math.Max(step, 1);
        var ticks = new List<double>();
        for (var t = 0.0; t < max + step - 1e-9; t += step)
        {
            ticks.Add(t);
        }
        return ticks;
    }

    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
