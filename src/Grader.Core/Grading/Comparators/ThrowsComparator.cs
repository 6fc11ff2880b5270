using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>
/// The call must throw the given exception type or a subclass of it. The type is matched against
/// every entry of the fault's type chain, by full name or, when written without a namespace, by
/// simple name.
/// </summary>
public sealed class ThrowsComparator : ICaseComparator
{
    private static readonly string[] Names = ["type"];

    public string Kind => "throws";

    public bool NeedsExpected => false;

    public bool ExpectsFault => true;

    public IEnumerable<string> ValidateParameters(JsonObject parameters) => GuardedComparison.Validate(parameters, Names, Read);

    public ComparisonResult Compare(ComparisonInput input) => GuardedComparison.Run(input, Names, Read, Compare, faultIsAnswer: true);

    private static string Read(ParameterReader p)
    {
        var type = p.RequiredString("type");
        if (type is not null && !LooksLikeTypeName(type))
        {
            p.Problem("type", "must be an exception type name such as ArgumentException or System.ArgumentException");
        }
        return type ?? "";
    }

    private static ComparisonResult Compare(ComparisonInput input, string type)
    {
        var wanted = $"{Article(SimpleName(type))} {SimpleName(type)}";
        if (input.Actual.Fault is not { } fault)
        {
            var returned = input.Actual.Value is null ? "returned without throwing" : $"returned {PlainValues.Abbreviate(input.Actual.Value, 80)}";
            return ComparisonResult.Fail(HintCategory.MissingException, $"expected {wanted}, but the call {returned}");
        }
        var chain = (fault.TypeChain ?? []).Append(fault.Type ?? "");
        if (chain.Any(entry => Matches(entry, type)))
        {
            return ComparisonResult.Pass();
        }
        return ComparisonResult.Fail(HintCategory.UnexpectedException, $"expected {wanted}, but the call threw {FeedbackText.Clip(fault.Type, 200)}: {FeedbackText.Clip(fault.Message, 300)}");
    }

    private static bool Matches(string? entry, string type)
    {
        if (string.IsNullOrEmpty(entry))
        {
            return false;
        }
        return type.Contains('.', StringComparison.Ordinal) || type.Contains('+', StringComparison.Ordinal)
            ? string.Equals(entry, type, StringComparison.Ordinal)
            : string.Equals(SimpleName(entry), type, StringComparison.Ordinal);
    }

    private static string SimpleName(string typeName) => typeName[(typeName.LastIndexOfAny(['.', '+']) + 1)..];

    private static string Article(string word) => word.Length > 0 && "AEIOUaeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static bool LooksLikeTypeName(string s) =>
        (char.IsLetter(s[0]) || s[0] == '_')
        && s.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '.' or '+' or '`')
        && !s.EndsWith('.') && !s.EndsWith('+');
}
