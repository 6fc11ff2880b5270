using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Grader.Core.Assignments;

/// <summary>The contents of an assignment package's <c>assignment.json</c>.</summary>
public sealed record AssignmentManifest
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Course { get; init; } = "";
    public int? Week { get; init; }
    /// <summary>False for practice packages (labs): graded the same way, but not part of a course grade.</summary>
    public bool Graded { get; init; } = true;
    public AssignmentLimits Limits { get; init; } = new();
    public IReadOnlyList<ExerciseSpec> Exercises { get; init; } = [];
    /// <summary>Named input values that cases refer to with <c>{"$fixture": "name"}</c>.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Fixtures { get; init; } = new Dictionary<string, JsonNode?>();
    public IReadOnlyList<CaseSpec> Cases { get; init; } = [];
}

public sealed record AssignmentLimits
{
    public int CaseWallMs { get; init; } = 2_000;
    public int SubmissionWallMs { get; init; } = 10_000;
    public int MemoryMb { get; init; } = 256;
    public int OutputKb { get; init; } = 64;
}

public sealed record ExerciseSpec
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>The C# signatures the student implements, as shown in the statement.</summary>
    public IReadOnlyList<string> Signatures { get; init; } = [];
    public double Points { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<CaseVisibility>))]
public enum CaseVisibility
{
    Visible,
    Hidden,
    /// <summary>Hidden until the assignment's due date has passed.</summary>
    AfterDue,
}

public sealed record CaseSpec
{
    public required string Name { get; init; }
    public required string Exercise { get; init; }
    public required string Function { get; init; }
    public JsonArray Args { get; init; } = [];
    /// <summary><c>{"kind": "close", …parameters}</c>; absent means <c>close</c> with numpy defaults.</summary>
    public JsonObject? Comparator { get; init; }
    public double Weight { get; init; } = 1;
    /// <summary>
    /// This case's wall limit in ms, for the one heavy case of a package (a course's training loop
    /// at full size) that must not raise the limit of every other case; absent means limits.caseWallMs.
    /// </summary>
    public int? WallMs { get; init; }
    public CaseVisibility Visibility { get; init; } = CaseVisibility.Visible;
    /// <summary>Shown with a failed case (visible or hidden) to point at the likely mistake.</summary>
    public string? Hint { get; init; }
    /// <summary>A literal expected value; when absent it is computed from the reference solution.</summary>
    public JsonNode? Expected { get; init; }
}
