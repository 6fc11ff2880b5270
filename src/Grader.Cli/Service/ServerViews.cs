using Grader.Core.Grading;

namespace Grader.Cli.Service;

// The server's JSON as this command reads it; unknown fields are ignored, so the server may add some.

internal sealed record UserView(Guid Id, string ExternalId, string DisplayName, string Role);

internal sealed record SignInExchangeRequest(string Token, string KeyName);

internal sealed record SignInExchangeView(string ApiKey, string UserId, string Role);

internal sealed record AssignmentSummaryView(string Id, string Title, string Course, int? Week, bool Graded, double Points, DateTimeOffset? OpensAt, DateTimeOffset? DueAt, DateTimeOffset? HardCutoffAt);

internal sealed record AcceptedView(Guid Id, string Status, string Location);

internal sealed record SubmissionView(
    Guid Id, string AssignmentId, int AssignmentVersion, string Status, DateTimeOffset SubmittedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, double? Score, double? MaxScore, GradeReport? Report)
{
    public bool IsFinished => Status is "Graded" or "CompileError" or "Rejected" or "Failed";
}

internal sealed record UploadedView(string AssignmentId, int Version, bool Created, string ContentHash, bool Published, string Validation, bool PublishWhenValid, string Location);

internal sealed record MistakeCheckView(string File, double DeclaredScore, double Score, IReadOnlyList<string> DeclaredMessages, IReadOnlyList<string> MissingMessages, bool Passed, string? Problem);

internal sealed record ValidationReportView(
    bool Passed, IReadOnlyList<string> Problems, IReadOnlyList<string> Checks, double? ReferenceScore, double MaxScore, double? StarterScore, IReadOnlyList<MistakeCheckView> Mistakes);

internal sealed record VersionView(
    int Version, string ContentHash, string Validation, DateTimeOffset UploadedAt, DateTimeOffset? ValidatedAt, bool PublishWhenValid,
    bool Current, bool Published, ValidationReportView? Report)
{
    public bool IsValidated => Validation is "Passed" or "Failed";
}

internal sealed record RegradeView(Guid RegradeId, string AssignmentId, int Version, int Queued);

internal sealed record RegradeStatusView(Guid RegradeId, int Total, int Pending, int Finished, int Changed);

internal sealed record GradebookEntryView(Guid StudentId, string Student, Guid SubmissionId, double RawScore, double MaxScore, int DaysLate, double Penalty, double Score);
