namespace Grader.Core.Assignments;

/// <summary>A problem found in a package: which file, which field, and what is wrong.</summary>
public sealed record PackageProblem(string File, string Field, string Reason)
{
    public override string ToString() => string.IsNullOrEmpty(Field) ? $"{File}: {Reason}" : $"{File}: {Field}: {Reason}";
}

/// <summary>A recorded typical mistake: a wrong solution and what grading it must produce.</summary>
public sealed record MistakeSpec(string FileName, string Source, double ExpectedScore, IReadOnlyList<string> ExpectedMessages);
