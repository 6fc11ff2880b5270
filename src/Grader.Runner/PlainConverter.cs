using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grader.Core.Sandbox;
using MathNet.Numerics.LinearAlgebra;

namespace Grader.Runner;

internal sealed class PlainConversionException(string message) : Exception(message);

/// <summary>A result that cannot be sent back as plain data; <see cref="ErrorType"/> names why for the report.</summary>
internal sealed class UnsupportedResultException(string errorType, string message) : Exception(message)
{
    public const string TooLarge = RunnerFaultTypes.ResultTooLarge;
    public const string Unsupported = RunnerFaultTypes.UnsupportedResult;

    public string ErrorType { get; } = errorType;
}

/// <summary>
/// Converts between the protocol's plain JSON values and the .NET types of a submission's
/// parameters and results. Matrices are arrays of rows, vectors and tuples arrays, objects objects.
/// </summary>
internal static class PlainConverter
{
    // Bounds what a result may cost to turn into JSON; larger results are a student error.
    private const int MaxNodes = 2_000_000;
    private const int MaxDepth = 32;

    /// <summary>Turns a <c>{"$function": name}</c> argument into a delegate; set once the submission is loaded.</summary>
    public static Func<string, Type, Delegate>? FunctionResolver { get; set; }

    public static object? ToObject(JsonNode? node, Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return node is null ? null : ToObject(node, underlying);
        }
        if (type == typeof(JsonNode))
        {
            return node?.DeepClone();
        }
        if (node is null)
        {
            return type.IsValueType ? throw new PlainConversionException($"null given for {Name(type)}") : null;
        }
        if (type == typeof(double)) return Number(node);
        if (type == typeof(float)) return (float)Number(node);
        if (type == typeof(decimal)) return (decimal)Number(node);
        if (type == typeof(int)) return checked((int)Integer(node));
        if (type == typeof(long)) return Integer(node);
        if (type == typeof(bool)) return node is JsonValue v && v.TryGetValue(out bool b) ? b : throw Mismatch(node, type);
        if (type == typeof(string)) return node is JsonValue s && s.TryGetValue(out string? text) ? text : throw Mismatch(node, type);
        if (type == typeof(Random))
        {
            // {"seed": s}: .NET's own generator; {"$numpyRandom": s}: the stream np.random.seed(s) gives.
            return node switch
            {
                JsonObject o when o["$numpyRandom"] is { } numpy => new Grader.Core.Sandbox.NumpyRandomState(Integer(numpy)),
                JsonObject o when o["seed"] is { } seed => new Random(checked((int)Integer(seed))),
                _ => throw Mismatch(node, type),
            };
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return node is JsonObject f && f["$function"] is JsonValue name && name.TryGetValue(out string? function) && FunctionResolver is { } resolve
                ? resolve(function, type)
                : throw Mismatch(node, type);
        }
        if (type == typeof(Matrix<double>))
        {
            return Matrix<double>.Build.DenseOfArray(Rectangular(node, type));
        }
        if (type == typeof(Vector<double>))
        {
            return Vector<double>.Build.DenseOfArray(Elements(node, type).Select(Number).ToArray());
        }
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            if (type.GetArrayRank() == 2)
            {
                var rows = Elements(node, type).Select(r => Elements(r, type)).ToArray();
                int cols = rows.Length == 0 ? 0 : rows[0].Count;
                if (rows.Any(r => r.Count != cols))
                {
                    throw new PlainConversionException("the rows have different lengths");
                }
                var array = Array.CreateInstance(element, rows.Length, cols);
                for (int i = 0; i < rows.Length; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        array.SetValue(ToObject(rows[i][j], element), i, j);
                    }
                }
                return array;
            }
            var items = Elements(node, type);
            var result = Array.CreateInstance(element, items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                result.SetValue(ToObject(items[i], element), i);
            }
            return result;
        }
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
                foreach (var item in Elements(node, type))
                {
                    list.Add(ToObject(item, arguments[0]));
                }
                return list;
            }
            if ((definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
                && arguments[0] == typeof(string))
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                if (node is not JsonObject obj)
                {
                    throw Mismatch(node, type);
                }
                foreach (var (key, value) in obj)
                {
                    dictionary[key] = ToObject(value, arguments[1]);
                }
                return dictionary;
            }
            if (typeof(ITuple).IsAssignableFrom(type))
            {
                var items = Elements(node, type);
                if (items.Count != arguments.Length)
                {
                    throw new PlainConversionException($"expected {arguments.Length} items for {Name(type)}, got {items.Count}");
                }
                var ctor = type.GetConstructor(arguments)!;
                return ctor.Invoke([.. items.Select((item, i) => ToObject(item, arguments[i]))]);
            }
        }
        if (node is JsonObject json && !type.IsPrimitive && type != typeof(object))
        {
            return FromObject(json, type);
        }
        throw Mismatch(node, type);
    }

    private static object FromObject(JsonObject json, Type type)
    {
        var values = json.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var ctor = type.GetConstructors()
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault(c => c.GetParameters().All(p => p.Name is not null && (values.ContainsKey(p.Name) || p.HasDefaultValue)));
        if (ctor is null)
        {
            throw new PlainConversionException($"{Name(type)} has no constructor taking {string.Join(", ", values.Keys)}");
        }
        var args = ctor.GetParameters()
            .Select(p => values.TryGetValue(p.Name!, out var v) ? ToObject(v, p.ParameterType) : p.DefaultValue)
            .ToArray();
        return ctor.Invoke(args);
    }

    private static double Number(JsonNode? node)
    {
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number)
            {
                return v.GetValue<double>();
            }
            if (v.TryGetValue(out string? s))
            {
                switch (s)
                {
                    case "NaN": return double.NaN;
                    case "Infinity": return double.PositiveInfinity;
                    case "-Infinity": return double.NegativeInfinity;
                }
            }
        }
        throw Mismatch(node, typeof(double));
    }

    private static long Integer(JsonNode node)
    {
        double d = Number(node);
        return d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : throw new PlainConversionException($"{d.ToString(CultureInfo.InvariantCulture)} is not a whole number");
    }

    private static List<JsonNode?> Elements(JsonNode? node, Type type) =>
        node is JsonArray array ? [.. array] : throw Mismatch(node, type);

    private static double[,] Rectangular(JsonNode node, Type type)
    {
        var rows = Elements(node, type).Select(r => Elements(r, type).Select(Number).ToArray()).ToArray();
        int cols = rows.Length == 0 ? 0 : rows[0].Length;
        if (rows.Any(r => r.Length != cols))
        {
            throw new PlainConversionException("the rows have different lengths");
        }
        var result = new double[rows.Length, cols];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                result[i, j] = rows[i][j];
            }
        }
        return result;
    }

    private static PlainConversionException Mismatch(JsonNode? node, Type type) =>
        new($"a {Kind(node)} cannot be read as {Name(type)}");

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "list",
        JsonObject => "object",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => "number",
            JsonValueKind.String => "string",
            _ => "boolean",
        },
        _ => "value",
    };

    internal static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;

    public static JsonNode? ToPlain(object? value)
    {
        int budget = MaxNodes;
        return ToPlain(value, 0, ref budget);
    }

    private static JsonNode? ToPlain(object? value, int depth, ref int budget)
    {
        if (--budget < 0)
        {
            throw TooLarge();
        }
        if (depth > MaxDepth)
        {
            throw new UnsupportedResultException(UnsupportedResultException.Unsupported, $"the result is nested more than {MaxDepth} levels deep");
        }
        if (value is ICollection { Count: var count } && count > budget)
        {
            throw TooLarge();
        }
        switch (value)
        {
            case null: return null;
            case double d: return Number(d);
            case float f: return Number(f);
            case decimal m: return JsonValue.Create(m);
            case int or long or short or byte or sbyte or uint or ushort or ulong:
                return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case bool b: return JsonValue.Create(b);
            case string s: return JsonValue.Create(s);
            case char c: return JsonValue.Create(c.ToString());
            case System.Numerics.Complex z: return new JsonObject { ["real"] = Number(z.Real), ["imaginary"] = Number(z.Imaginary) };
            case Matrix<double> matrix: return Rows(matrix.RowCount, matrix.ColumnCount, (i, j) => matrix[i, j], ref budget);
            case Matrix<float> matrix: return Rows(matrix.RowCount, matrix.ColumnCount, (i, j) => matrix[i, j], ref budget);
            case Vector<double> vector: return Items(vector, ref budget);
            case Vector<float> vector: return Items(vector.Select(x => (double)x), ref budget);
            case double[,] grid: return Rows(grid.GetLength(0), grid.GetLength(1), (i, j) => grid[i, j], ref budget);
            case Array { Rank: 2 } grid:
            {
                var rows = new JsonArray();
                for (int i = 0; i < grid.GetLength(0); i++)
                {
                    var row = new JsonArray();
                    for (int j = 0; j < grid.GetLength(1); j++)
                    {
                        row.Add(ToPlain(grid.GetValue(i, j), depth + 2, ref budget));
                    }
                    rows.Add(row);
                }
                return rows;
            }
            case ITuple tuple:
            {
                var items = new JsonArray();
                for (int i = 0; i < tuple.Length; i++)
                {
                    items.Add(ToPlain(tuple[i], depth + 1, ref budget));
                }
                return items;
            }
            case IDictionary dictionary:
            {
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = ToPlain(entry.Value, depth + 1, ref budget);
                }
                return obj;
            }
            case IEnumerable sequence:
            {
                var items = new JsonArray();
                foreach (var item in sequence)
                {
                    items.Add(ToPlain(item, depth + 1, ref budget));
                }
                return items;
            }
        }
        var type = value.GetType();
        if (type.IsEnum)
        {
            return JsonValue.Create(value.ToString());
        }
        var result = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.CanRead)
            {
                result[property.Name] = ToPlain(property.GetValue(value), depth + 1, ref budget);
            }
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            result[field.Name] = ToPlain(field.GetValue(value), depth + 1, ref budget);
        }
        return result;
    }

    private static JsonNode Number(double d) =>
        double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));

    private static UnsupportedResultException TooLarge() =>
        new(UnsupportedResultException.TooLarge, $"the result is too large to check (over {MaxNodes} values)");

    private static JsonArray Rows(int rows, int cols, Func<int, int, double> at, ref int budget)
    {
        // In long: a 65536×65536 sparse matrix is cheap to build and its size overflows an int to 0.
        if ((long)rows * cols > budget)
        {
            throw TooLarge();
        }
        budget -= rows * cols;
        var result = new JsonArray();
        for (int i = 0; i < rows; i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < cols; j++)
            {
                row.Add(Number(at(i, j)));
            }
            result.Add(row);
        }
        return result;
    }

    private static JsonArray Items(IEnumerable<double> values, ref int budget)
    {
        var result = new JsonArray();
        foreach (var x in values)
        {
            if (--budget < 0)
            {
                throw TooLarge();
            }
            result.Add(Number(x));
        }
        return result;
    }
}
