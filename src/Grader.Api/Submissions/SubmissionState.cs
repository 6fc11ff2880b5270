namespace Grader.Api.Submissions;

// Queued → Running → Graded | CompileError | Rejected | Failed; Running → Queued for a retry;
// a finished submission → Queued for a regrade. The names are stored in submissions.status and
// sent in the API as they are. Every UPDATE of the store names the states it expects.
public enum SubmissionState
{
    Queued,
    Running,
    Graded,
    CompileError,
    Rejected,
    Failed,
}

public static class SubmissionStates
{
    public static readonly string[] Pending = [nameof(SubmissionState.Queued), nameof(SubmissionState.Running)];

    public static readonly string[] Finished =
        [nameof(SubmissionState.Graded), nameof(SubmissionState.CompileError), nameof(SubmissionState.Rejected), nameof(SubmissionState.Failed)];

    // Finished with a score that counts towards a grade: a Failed grading is the grader's fault, not a zero.
    public static readonly string[] Scored = [nameof(SubmissionState.Graded), nameof(SubmissionState.CompileError), nameof(SubmissionState.Rejected)];

    public static bool IsFinished(this SubmissionState state) => state is not (SubmissionState.Queued or SubmissionState.Running);

    public static string Name(this SubmissionState state) => state.ToString();

    public static SubmissionState Parse(string name) => Enum.Parse<SubmissionState>(name, ignoreCase: false);

    public static SubmissionState From(Core.Grading.GradeStatus status) => status switch
    {
        Core.Grading.GradeStatus.Graded => SubmissionState.Graded,
        Core.Grading.GradeStatus.CompileError => SubmissionState.CompileError,
        Core.Grading.GradeStatus.Rejected => SubmissionState.Rejected,
        Core.Grading.GradeStatus.Failed => SubmissionState.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a final grading status."),
    };
}
