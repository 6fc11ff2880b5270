using Npgsql;

namespace Grader.Api.Assignments;

// When an assignment takes submissions and how its grades count. Built here only: from the
// columns of assignments (ReadFrom) and from an instructor's request (FromRequest).
public sealed record AssignmentSettings
{
    public DateTimeOffset? OpensAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public double LatePenaltyPerDay { get; init; }
    public DateTimeOffset? HardCutoffAt { get; init; }
    public int? MaxSubmissions { get; init; }
    public string ScorePolicy { get; init; } = "best";
    public bool RevealAfterDue { get; init; } = true;

    // The columns ReadFrom expects, in order, for a query over assignments aliased a.
    public const string Columns = "a.opens_at, a.due_at, a.late_penalty_per_day, a.hard_cutoff_at, a.max_submissions, a.score_policy, a.reveal_after_due";

    public static AssignmentSettings ReadFrom(NpgsqlDataReader r, int first) => new()
    {
        OpensAt = r.IsDBNull(first) ? null : r.GetFieldValue<DateTimeOffset>(first),
        DueAt = r.IsDBNull(first + 1) ? null : r.GetFieldValue<DateTimeOffset>(first + 1),
        LatePenaltyPerDay = r.GetDouble(first + 2),
        HardCutoffAt = r.IsDBNull(first + 3) ? null : r.GetFieldValue<DateTimeOffset>(first + 3),
        MaxSubmissions = r.IsDBNull(first + 4) ? null : r.GetInt32(first + 4),
        ScorePolicy = r.GetString(first + 5),
        RevealAfterDue = r.GetBoolean(first + 6),
    };

    public static AssignmentSettings FromRequest(SettingsRequest request) => new()
    {
        OpensAt = request.OpensAt,
        DueAt = request.DueAt,
        LatePenaltyPerDay = request.LatePenaltyPerDay ?? 0,
        HardCutoffAt = request.HardCutoffAt,
        MaxSubmissions = request.MaxSubmissions,
        ScorePolicy = request.ScorePolicy ?? "best",
        RevealAfterDue = request.RevealAfterDue ?? true,
    };
}
