using System.Text.Json;
using System.Text.Json.Nodes;
using Grader.Api.Hosting;
using Grader.Core.Assignments;

namespace Grader.Api.Assignments;

public sealed record AssignmentSummaryView(string Id, string Title, string Course, int? Week, bool Graded, double Points, DateTimeOffset? OpensAt, DateTimeOffset? DueAt, DateTimeOffset? HardCutoffAt);

public sealed record ExerciseView(string Id, string Title, IReadOnlyList<string> Signatures, double Points);

// A visible case as a student sees it: never a hidden or not-yet-revealed one, never an expected value.
public sealed record VisibleCaseView(string Name, string Exercise, string Function, JsonArray Args, double Weight);

public sealed record AssignmentDetailView(
    string Id,
    string Title,
    string Course,
    int? Week,
    bool Graded,
    int Version,
    string Statement,
    IReadOnlyList<ExerciseView> Exercises,
    double Points,
    AssignmentLimits Limits,
    AssignmentSettingsView Settings,
    int HiddenCases,
    IReadOnlyList<VisibleCaseView> VisibleCases);

public sealed record AssignmentSettingsView(
    DateTimeOffset? OpensAt, DateTimeOffset? DueAt, double LatePenaltyPerDay, DateTimeOffset? HardCutoffAt, int? MaxSubmissions, string ScorePolicy, bool RevealAfterDue);

public sealed record InstructorAssignmentView(string Id, string Title, bool Published, int? CurrentVersion, string? ContentHash, AssignmentSettingsView Settings, DateTimeOffset UpdatedAt);

public static class AssignmentViewMapping
{
    public static AssignmentManifest Manifest(this AssignmentRow row) =>
        JsonSerializer.Deserialize<AssignmentManifest>(row.ManifestJson ?? throw new InvalidOperationException($"{row.Id} has no version."), Json.Options)!;

    public static AssignmentSettingsView ToView(this AssignmentSettings s) =>
        new(s.OpensAt, s.DueAt, s.LatePenaltyPerDay, s.HardCutoffAt, s.MaxSubmissions, s.ScorePolicy, s.RevealAfterDue);

    public static AssignmentSummaryView ToSummaryView(this AssignmentRow row)
    {
        var manifest = row.Manifest();
        return new(row.Id, row.Title, manifest.Course, manifest.Week, manifest.Graded, manifest.Exercises.Sum(e => e.Points),
            row.Settings.OpensAt, row.Settings.DueAt, row.Settings.HardCutoffAt);
    }

    public static AssignmentDetailView ToDetailView(this AssignmentRow row, bool afterDueRevealed)
    {
        var manifest = row.Manifest();
        bool Shown(CaseSpec c) => c.Visibility == CaseVisibility.Visible || (c.Visibility == CaseVisibility.AfterDue && afterDueRevealed);
        return new(
            row.Id, row.Title, manifest.Course, manifest.Week, manifest.Graded, row.CurrentVersion ?? 0, row.Statement ?? "",
            manifest.Exercises.Select(e => new ExerciseView(e.Id, e.Title, e.Signatures, e.Points)).ToList(),
            manifest.Exercises.Sum(e => e.Points),
            manifest.Limits,
            row.Settings.ToView(),
            manifest.Cases.Count(c => !Shown(c)),
            manifest.Cases.Where(Shown).Select(c => new VisibleCaseView(c.Name, c.Exercise, c.Function, (JsonArray)c.Args.DeepClone(), c.Weight)).ToList());
    }

    public static InstructorAssignmentView ToInstructorView(this AssignmentRow row) =>
        new(row.Id, row.Title, row.Published, row.CurrentVersion, row.ContentHash, row.Settings.ToView(), row.UpdatedAt);
}
