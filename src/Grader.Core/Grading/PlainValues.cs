using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grader.Core.Grading;

/// <summary>
/// Helpers over the plain JSON values that cross the sandbox boundary. Numbers are JSON numbers;
/// NaN and the infinities travel as the strings "NaN", "Infinity" and "-Infinity"; vectors are
/// arrays, matrices arrays of rows, tuples arrays, objects objects.
/// </summary>
public static class PlainValues
{
    public static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                return TryGetNumericValue(v, out value);
            case JsonValueKind.String:
                if (!v.TryGetValue<string>(out var s))
                {
                    return false;
                }
                if (s == "NaN") { value = double.NaN; return true; }
                if (s == "Infinity") { value = double.PositiveInfinity; return true; }
                if (s == "-Infinity") { value = double.NegativeInfinity; return true; }
                return false;
            default:
                return false;
        }
    }

    // Parsed JSON converts to double directly, but a value built in code with JsonValue.Create(3)
    // only converts to its own CLR type, and GetValue<double>() would throw.
    private static bool TryGetNumericValue(JsonValue v, out double value)
    {
        if (v.TryGetValue(out value)) { return true; }
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out long l)) { value = l; return true; }
        if (v.TryGetValue(out float f)) { value = f; return true; }
        if (v.TryGetValue(out decimal m)) { value = (double)m; return true; }
        if (v.TryGetValue(out short sh)) { value = sh; return true; }
        if (v.TryGetValue(out byte b)) { value = b; return true; }
        if (v.TryGetValue(out uint ui)) { value = ui; return true; }
        if (v.TryGetValue(out ulong ul)) { value = ul; return true; }
        if (v.TryGetValue(out JsonElement e))
        {
            return double.TryParse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
        value = 0;
        return false;
    }

    public static JsonNode FromNumber(double d) =>
        double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));

    /// <summary>Dimensions of a rectangular nested array ("shape"), or null when ragged or not an array.</summary>
    public static int[]? Shape(JsonNode? node)
    {
        if (node is not JsonArray a)
        {
            return [];
        }
        if (a.Count == 0 || a[0] is not JsonArray)
        {
            return a.Any(x => x is JsonArray) ? null : [a.Count];
        }
        int[]? inner = Shape(a[0]);
        if (inner is null)
        {
            return null;
        }
        foreach (var item in a)
        {
            var s = Shape(item);
            if (s is null || !s.AsSpan().SequenceEqual(inner))
            {
                return null;
            }
        }
        return [a.Count, .. inner];
    }

    public static string Describe(int[]? shape) => shape switch
    {
        null => "a ragged array",
        [] => "a scalar",
        [var n] => $"a vector of length {n}",
        [var r, var c] => $"a {r}×{c} matrix",
        _ => $"an array of shape ({string.Join(", ", shape)})",
    };

    /// <summary>Short text of a value for feedback, with long arrays abbreviated.</summary>
    public static string Abbreviate(JsonNode? node, int maxChars = 300)
    {
        var text = node?.ToJsonString(Sandbox.RunnerJson.Options) ?? "null";
        return text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), " …");
    }
}
