using System.Text.Json.Nodes;
using Grader.Core.Grading;

namespace Grader.Core.Tests.Grading;

public sealed class PlainValuesTests
{
    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-0.0", 0.0)]
    [InlineData("\"Infinity\"", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", double.NegativeInfinity)]
    [InlineData("1e400", double.PositiveInfinity)]
    public void TryGetNumber_reads_parsed_numbers_and_named_literals(string json, double expected)
    {
        var node = JsonNode.Parse(json);

        var ok = PlainValues.TryGetNumber(node, out var value);

        Assert.True(ok);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryGetNumber_reads_NaN_sent_as_a_string()
    {
        var ok = PlainValues.TryGetNumber(JsonValue.Create("NaN"), out var value);

        Assert.True(ok);
        Assert.True(double.IsNaN(value));
    }

    [Fact]
    public void TryGetNumber_reads_values_built_in_code_from_integer_types()
    {
        var values = new JsonNode?[] { JsonValue.Create(3), JsonValue.Create(3L), JsonValue.Create(3f), JsonValue.Create(3m), JsonValue.Create((byte)3) };

        var read = values.Select(v => PlainValues.TryGetNumber(v, out var x) ? x : double.NaN).ToArray();

        Assert.All(read, x => Assert.Equal(3.0, x));
    }

    [Theory]
    [InlineData("\"nan\"")]
    [InlineData("\"3\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("null")]
    public void TryGetNumber_refuses_what_is_not_a_number(string json)
    {
        var ok = PlainValues.TryGetNumber(JsonNode.Parse(json), out _);

        Assert.False(ok);
    }

    [Fact]
    public void TryGetNumber_refuses_a_character_value_without_throwing()
    {
        var ok = PlainValues.TryGetNumber(JsonValue.Create('x'), out _);

        Assert.False(ok);
    }
}
