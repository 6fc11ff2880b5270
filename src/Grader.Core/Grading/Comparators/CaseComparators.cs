using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grader.Core.Grading.Comparators;

/// <summary>The comparator kinds a case can name in its <c>comparator</c> object, by kind (ordinal, case-sensitive).</summary>
public static class CaseComparators
{
    public const string DefaultKind = "close";

    private static readonly Dictionary<string, ICaseComparator> ByKind = new ICaseComparator[]
    {
        new CloseComparator(),
        new ExactComparator(),
        new MultisetComparator(),
        new SetComparator(),
        new SignInvariantComparator(),
        new EigenpairsComparator(),
        new UnchangedComparator(),
        new PropertyComparator(),
        new StatisticalComparator(),
        new GradientComparator(),
        new ThrowsComparator(),
    }.ToDictionary(c => c.Kind, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Kinds { get; } = [.. ByKind.Keys];

    /// <summary>The comparator of a known kind; throws for an unknown one (validate packages with <see cref="TryGet"/>).</summary>
    public static ICaseComparator Get(string kind) =>
        TryGet(kind, out var comparator)
            ? comparator
            : throw new ArgumentException($"Unknown comparator kind \"{kind}\" (known: {string.Join(", ", Kinds)}).", nameof(kind));

    public static bool TryGet(string kind, [NotNullWhen(true)] out ICaseComparator? comparator) =>
        ByKind.TryGetValue(kind, out comparator);

    /// <summary>The kind a case's comparator object names: <c>close</c> when the object or its kind is absent, null when kind is not a string.</summary>
    public static string? KindOf(JsonObject? comparator)
    {
        if (HasDuplicateNames(comparator))
        {
            return null;
        }
        if (comparator is null || !comparator.TryGetPropertyValue("kind", out var kind))
        {
            return DefaultKind;
        }
        return kind is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>The comparator for a case's comparator object, or null when its kind is unknown.</summary>
    public static ICaseComparator? For(JsonObject? comparator) =>
        KindOf(comparator) is { } kind && TryGet(kind, out var found) ? found : null;

    /// <summary>Problems with a case's comparator object, as "field: reason"; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(JsonObject? comparator)
    {
        if (HasDuplicateNames(comparator))
        {
            return ["comparator: duplicate property names"];
        }
        var kind = KindOf(comparator);
        if (kind is null)
        {
            return ["kind: must be a string"];
        }
        if (!TryGet(kind, out var found))
        {
            return [$"kind: unknown comparator kind \"{kind}\" (known: {string.Join(", ", Kinds)})"];
        }
        return comparator is null ? [] : [.. found.ValidateParameters(comparator)];
    }

    // A JsonObject parsed from text with a repeated name only fails when first used.
    private static bool HasDuplicateNames(JsonObject? comparator)
    {
        try
        {
            _ = comparator?.Count;
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
