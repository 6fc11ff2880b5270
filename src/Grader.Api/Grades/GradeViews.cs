namespace Grader.Api.Grades;

public sealed record GradeView(string AssignmentId, Guid SubmissionId, double RawScore, double MaxScore, int DaysLate, double Penalty, double Score);

public sealed record GradebookEntryView(Guid StudentId, string Student, Guid SubmissionId, double RawScore, double MaxScore, int DaysLate, double Penalty, double Score);

public static class GradeViewMapping
{
    public static GradeView ToView(this GradeRow g) => new(g.AssignmentId, g.SubmissionId, g.RawScore, g.MaxScore, g.DaysLate, g.Penalty, g.Score);

    public static GradebookEntryView ToEntryView(this GradeRow g) => new(g.StudentId, g.ExternalId, g.SubmissionId, g.RawScore, g.MaxScore, g.DaysLate, g.Penalty, g.Score);
}
