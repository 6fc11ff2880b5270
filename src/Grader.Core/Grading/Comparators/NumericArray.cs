using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>A rectangular array of numbers read from a plain value, flattened in row-major order.</summary>
internal sealed class NumericArray
{
    private NumericArray(int[] shape, double[] values)
    {
        Shape = shape;
        Values = values;
    }

    public int[] Shape { get; }
    public double[] Values { get; }

    public int Rows => Shape.Length > 0 ? Shape[0] : 1;
    public int Columns => Shape.Length > 1 ? Shape[1] : 1;

    public double this[int row, int column] => Values[row * Columns + column];

    public string Describe() => PlainValues.Describe(Shape);

    /// <summary>The index path of a flat position: <c>[2][3]</c>.</summary>
    public string PathOf(int flatIndex)
    {
        if (Shape.Length == 0)
        {
            return "";
        }
        var parts = new string[Shape.Length];
        for (var d = Shape.Length - 1; d >= 0; d--)
        {
            parts[d] = $"[{flatIndex % Shape[d]}]";
            flatIndex /= Shape[d];
        }
        return string.Concat(parts);
    }

    /// <summary>Reads a number, vector, matrix or higher array of numbers; otherwise says why not.</summary>
    public static NumericArray? TryRead(JsonNode? node, out string problem, out HintCategory hint)
    {
        problem = "";
        hint = HintCategory.None;
        var shape = PlainValues.Shape(node);
        if (shape is null)
        {
            problem = "expected a rectangular array of numbers, got a ragged array";
            hint = HintCategory.WrongShape;
            return null;
        }
        var count = 1L;
        foreach (var n in shape)
        {
            count *= n;
        }
        if (count > Array.MaxLength)
        {
            problem = "the array is too large";
            hint = HintCategory.WrongShape;
            return null;
        }
        var values = new double[count];
        var next = 0;
        if (!Flatten(node, shape.Length, values, ref next, out var bad))
        {
            var result = new NumericArray(shape, values);
            problem = $"entry {ValueComparison.RootName(result.PathOf(next))} is not a number (got {ValueComparison.DescribeActual(bad)})";
            hint = HintCategory.WrongType;
            return null;
        }
        return new NumericArray(shape, values);
    }

    private static bool Flatten(JsonNode? node, int depth, double[] values, ref int next, out JsonNode? bad)
    {
        bad = null;
        if (depth == 0)
        {
            if (!PlainValues.TryGetNumber(node, out values[next]))
            {
                bad = node;
                return false;
            }
            next++;
            return true;
        }
        foreach (var item in (JsonArray)node!)
        {
            if (!Flatten(item, depth - 1, values, ref next, out bad))
            {
                return false;
            }
        }
        return true;
    }
}
