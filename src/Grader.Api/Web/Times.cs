using System.Globalization;

namespace Grader.Api.Web;

public static class Times
{
    public static string Short(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";
}
