using System.Globalization;

namespace Grader.Api.Web;

public static class Points
{
    public static string Format(double points) => points.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Attempts(int used, int? max) =>
        max is { } m ? $"{used} used, {Math.Max(0, m - used)} left of {m}" : $"{used} used, no limit";
}
