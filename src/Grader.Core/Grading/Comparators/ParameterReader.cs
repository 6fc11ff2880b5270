using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// Reads a comparator object's parameters, falling back to defaults and collecting problems as
/// "name: reason". The same reader serves package validation and comparison, so the two can never
/// disagree about what a parameter means.
/// </summary>
internal sealed class ParameterReader
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    public List<string> Problems { get; } = [];

    public ParameterReader(JsonObject parameters, IReadOnlyCollection<string> knownNames)
    {
        try
        {
            foreach (var (name, value) in parameters)
            {
                if (name == "kind")
                {
                    continue;
                }
                if (!knownNames.Contains(name))
                {
                    var expected = knownNames.Count == 0 ? "this kind takes no parameters" : $"expected one of {string.Join(", ", knownNames)}";
                    Problems.Add($"{name}: unknown parameter ({expected})");
                    continue;
                }
                _values[name] = value;
            }
        }
        catch (ArgumentException)
        {
            // JsonObject throws while enumerating an object parsed with duplicate keys.
            Problems.Add("parameters: duplicate parameter names");
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public double NonNegativeNumber(string name, double fallback) =>
        Number(name, fallback, x => x >= 0, "must be a non-negative number");

    public double PositiveNumber(string name, double fallback) =>
        Number(name, fallback, x => x > 0, "must be a positive number");

    public bool Bool(string name, bool fallback)
    {
        if (!_values.TryGetValue(name, out var node))
        {
            return fallback;
        }
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValueKind() == JsonValueKind.True;
        }
        Problems.Add($"{name}: must be true or false");
        return fallback;
    }

    public int Index(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var node))
        {
            return fallback;
        }
        if (TryGetIndex(node, out var index))
        {
            return index;
        }
        Problems.Add($"{name}: must be a non-negative integer");
        return fallback;
    }

    /// <summary>A list of non-negative integers, or null when absent.</summary>
    public int[]? IndexList(string name, bool allowEmpty)
    {
        if (!_values.TryGetValue(name, out var node))
        {
            return null;
        }
        if (node is JsonArray array && (allowEmpty || array.Count > 0))
        {
            var result = new int[array.Count];
            for (var i = 0; i < array.Count; i++)
            {
                if (!TryGetIndex(array[i], out result[i]))
                {
                    Problems.Add($"{name}: must be a list of non-negative integers");
                    return null;
                }
            }
            return result;
        }
        Problems.Add(allowEmpty ? $"{name}: must be a list of non-negative integers" : $"{name}: must be a non-empty list of non-negative integers");
        return null;
    }

    public string? RequiredString(string name)
    {
        if (!_values.TryGetValue(name, out var node))
        {
            Problems.Add($"{name}: required");
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s))
        {
            return s;
        }
        Problems.Add($"{name}: must be a non-empty string");
        return null;
    }

    /// <summary>The raw value of a parameter the caller checks itself; null when absent.</summary>
    public JsonNode? Raw(string name, out bool present)
    {
        present = _values.TryGetValue(name, out var node);
        return node;
    }

    public void Problem(string name, string reason) => Problems.Add($"{name}: {reason}");

    private double Number(string name, double fallback, Func<double, bool> acceptable, string requirement)
    {
        if (!_values.TryGetValue(name, out var node))
        {
            return fallback;
        }
        // Only real JSON numbers: "NaN" or "Infinity" as a tolerance is a mistake, not a setting.
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && PlainValues.TryGetNumber(v, out var x) && double.IsFinite(x) && acceptable(x))
        {
            return x;
        }
        Problems.Add($"{name}: {requirement}");
        return fallback;
    }

    private static bool TryGetIndex(JsonNode? node, out int index)
    {
        index = 0;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && PlainValues.TryGetNumber(v, out var x) && x >= 0 && x <= int.MaxValue && Math.Floor(x) == x)
        {
            index = (int)x;
            return true;
        }
        return false;
    }
}
