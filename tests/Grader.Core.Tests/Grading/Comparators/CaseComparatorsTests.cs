using System.Text.Json.Nodes;
using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class CaseComparatorsTests
{
    [Fact]
    public void Every_documented_kind_is_registered_under_its_own_name()
    {
        string[] documented = ["exact", "close", "multiset", "set", "signInvariant", "eigenpairs", "unchanged", "property", "statistical", "gradient", "throws"];

        Assert.Equal(documented.Order(StringComparer.Ordinal), CaseComparators.Kinds.Order(StringComparer.Ordinal));
        Assert.All(documented, kind => Assert.Equal(kind, CaseComparators.Get(kind).Kind));
    }

    [Fact]
    public void Kinds_are_case_sensitive()
    {
        var found = CaseComparators.TryGet("SignInvariant", out var comparator);

        Assert.False(found);
        Assert.Null(comparator);
        Assert.Throws<ArgumentException>(() => CaseComparators.Get("Close"));
    }

    [Fact]
    public void An_absent_comparator_or_kind_means_close()
    {
        Assert.Equal("close", CaseComparators.KindOf(null));
        Assert.Equal("close", CaseComparators.KindOf(new JsonObject { ["rtol"] = 1e-3 }));
        Assert.IsType<CloseComparator>(CaseComparators.For(null));
    }

    [Fact]
    public void Validate_reports_an_unknown_kind_and_a_kind_that_is_not_a_string()
    {
        var unknown = CaseComparators.Validate(new JsonObject { ["kind"] = "closee" });
        var notString = CaseComparators.Validate(new JsonObject { ["kind"] = 3 });

        Assert.Equal(["kind: unknown comparator kind \"closee\" (known: close, exact, multiset, set, signInvariant, eigenpairs, unchanged, property, statistical, gradient, throws)"], unknown);
        Assert.Equal(["kind: must be a string"], notString);
        Assert.Null(CaseComparators.For(new JsonObject { ["kind"] = "closee" }));
    }

    [Fact]
    public void Validate_passes_the_parameters_to_the_kind()
    {
        var typo = CaseComparators.Validate((JsonObject)JsonNode.Parse("""{"kind": "signInvariant", "colums": true}""")!);
        var fine = CaseComparators.Validate((JsonObject)JsonNode.Parse("""{"kind": "property", "property": "symmetric"}""")!);
        var defaulted = CaseComparators.Validate((JsonObject)JsonNode.Parse("""{"atol": 1e-6}""")!);

        Assert.Equal(["colums: unknown parameter (expected one of rtol, atol, columns, rows)"], typo);
        Assert.Empty(fine);
        Assert.Empty(defaulted);
    }

    [Fact]
    public void Validate_does_not_throw_on_duplicate_parameter_names()
    {
        var comparator = (JsonObject)JsonNode.Parse("""{"kind": "close", "rtol": 1, "rtol": 2}""")!;

        var problems = CaseComparators.Validate(comparator);

        Assert.Equal(["comparator: duplicate property names"], problems);
        Assert.Null(CaseComparators.KindOf(comparator));
    }

    [Fact]
    public void Only_the_kinds_that_check_the_call_itself_skip_the_expected_value()
    {
        var withoutExpected = CaseComparators.Kinds.Where(k => !CaseComparators.Get(k).NeedsExpected).Order(StringComparer.Ordinal);
        var withArgsAfter = CaseComparators.Kinds.Where(k => CaseComparators.Get(k).NeedsArgsAfter);

        Assert.Equal(["property", "statistical", "throws", "unchanged"], withoutExpected);
        Assert.Equal(["unchanged"], withArgsAfter);
    }

    [Fact]
    public void No_comparator_throws_on_odd_input()
    {
        string?[] odd = [null, "null", "[]", "[[]]", "[[1, 2], [3]]", "\"NaN\"", "{}", """{"a": [1, {"b": null}]}""", "true", "1e400", "[\"Infinity\", \"-Infinity\", \"NaN\"]"];
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["property"] = """{"property": "orthonormalColumns"}""",
            ["statistical"] = """{"mean": 0.5, "standardError": 0.1}""",
            ["gradient"] = """{"function": "f"}""",
            ["throws"] = """{"type": "ArgumentException"}""",
        };

        foreach (var kind in CaseComparators.Kinds)
        {
            var comparator = CaseComparators.Get(kind);
            foreach (var expected in odd)
            {
                foreach (var actual in odd)
                {
                    var input = ComparatorCall.Input(expected, actual, parameters.GetValueOrDefault(kind, "{}"), args: "[[[1, 2], [3, 4]], null]", argsAfter: actual is null ? null : "[[[1, 2], [3, 4]], " + actual + "]");

                    var result = comparator.Compare(input);

                    Assert.NotNull(result.Message);
                }
            }
        }
    }
}
