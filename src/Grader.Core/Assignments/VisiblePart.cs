using System.Text.Json.Nodes;
using Grader.Core.Grading;
using Grader.Core.Grading.Comparators;

namespace Grader.Core.Assignments;

/// <summary>A visible case with its inputs resolved to plain values and what the reference did with them.</summary>
public sealed record VisibleCase
{
    public required string Name { get; init; }
    public required string Exercise { get; init; }
    public required string Function { get; init; }
    public required JsonArray Args { get; init; }
    public JsonObject? Comparator { get; init; }
    public double Weight { get; init; } = 1;
    public int? WallMs { get; init; }
    public string? Hint { get; init; }
    public required CallOutcome Expected { get; init; }
}

/// <summary>
/// What a student may take home from a package to grade locally: statement, starter and the
/// visible cases with their expected outcomes. Never a hidden or after-due case, never the
/// reference, never fixtures or data files (a hidden case may use them). The helpers are shown:
/// a local grade needs them, so a package must not put anything secret there.
/// </summary>
public sealed record VisiblePart
{
    public required string AssignmentId { get; init; }
    public required string Title { get; init; }
    public required int Version { get; init; }
    public required string ContentHash { get; init; }
    public required string Statement { get; init; }
    public required string Starter { get; init; }
    /// <summary>The package's helpers.csx, if any: the functions visible cases pass as arguments.</summary>
    public string? Helpers { get; init; }
    public AssignmentLimits Limits { get; init; } = new();
    public required IReadOnlyList<ExerciseSpec> Exercises { get; init; }
    public required IReadOnlyList<VisibleCase> Cases { get; init; }

    public static VisiblePart From(AssignmentPackage package, int version, ExpectedOutputs expected)
    {
        if (expected.PackageHash != package.ContentHash)
        {
            throw new ArgumentException("the expected outputs belong to another version of the package", nameof(expected));
        }
        var cases = package.Manifest.Cases.Where(c => c.Visibility == CaseVisibility.Visible).Select(c => new VisibleCase
        {
            Name = c.Name,
            Exercise = c.Exercise,
            Function = c.Function,
            Args = (JsonArray)package.ResolvedArgs[c.Name].DeepClone(),
            Comparator = (JsonObject?)c.Comparator?.DeepClone(),
            Weight = c.Weight,
            WallMs = c.WallMs,
            Hint = c.Hint,
            Expected = expected.ByCase[c.Name],
        }).ToList();
        return new VisiblePart
        {
            AssignmentId = package.Id,
            Title = package.Manifest.Title,
            Version = version,
            ContentHash = package.ContentHash,
            Statement = package.Statement,
            Starter = package.Starter,
            Helpers = package.Helpers,
            Limits = package.Manifest.Limits,
            // An exercise with no visible case cannot be scored locally; it is left out rather than shown as 0.
            Exercises = [.. package.Manifest.Exercises.Where(e => cases.Any(c => c.Exercise == e.Id))],
            Cases = cases,
        };
    }

    /// <summary>Problems that would stop this part from grading (it may have been edited on disk); empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var exercises = Exercises.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var c in Cases)
        {
            if (!exercises.Contains(c.Exercise))
            {
                problems.Add($"case {c.Name}: unknown exercise '{c.Exercise}'");
            }
            problems.AddRange(CaseComparators.Validate(c.Comparator).Select(p => $"case {c.Name}: {p}"));
        }
        if (Cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != Cases.Count)
        {
            problems.Add("two cases have the same name");
        }
        return problems;
    }

    /// <summary>A package of the visible cases only, and their expected outcomes, for <see cref="GradingEngine.GradeAsync"/>.</summary>
    public (AssignmentPackage Package, ExpectedOutputs Expected) ToPackage()
    {
        var manifest = new AssignmentManifest
        {
            Id = AssignmentId,
            Title = Title,
            Limits = Limits,
            Exercises = Exercises,
            Cases = [.. Cases.Select(c => new CaseSpec
            {
                Name = c.Name,
                Exercise = c.Exercise,
                Function = c.Function,
                Args = c.Args,
                Comparator = c.Comparator,
                Weight = c.Weight,
                WallMs = c.WallMs,
                Hint = c.Hint,
            })],
        };
        var package = new AssignmentPackage
        {
            Manifest = manifest,
            Statement = Statement,
            Starter = Starter,
            Reference = "",
            Helpers = Helpers,
            Files = new Dictionary<string, byte[]>(StringComparer.Ordinal),
            ContentHash = ContentHash,
            ResolvedArgs = Cases.ToDictionary(c => c.Name, c => c.Args, StringComparer.Ordinal),
        };
        return (package, new ExpectedOutputs { PackageHash = ContentHash, ByCase = Cases.ToDictionary(c => c.Name, c => c.Expected, StringComparer.Ordinal) });
    }
}
