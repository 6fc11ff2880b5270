using System.Security.Cryptography;
using System.Text;
using Grader.Api.Assignments;
using Grader.Api.Observability;

namespace Grader.Api.Submissions;

// The one way a submission enters Grader, from a student or an LMS: hash, insert (with the
// idempotency key and the submission limit), count, and create its job if it heads its lane.
public sealed class SubmissionIntake(SubmissionStore submissions, SubmissionQueue queue, GraderMetrics metrics, Serilog.IDiagnosticContext requestLog)
{
    public async Task<SubmitOutcome> SubmitAsync(Guid studentId, AssignmentRow assignment, int version, string source, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var sourceHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source))).ToLowerInvariant();
        var outcome = await submissions.InsertAsync(
            new NewSubmission(studentId, assignment.Id, version, source, sourceHash, idempotencyKey, assignment.Settings.MaxSubmissions),
            cancellationToken).ConfigureAwait(false);
        if (outcome is SubmitOutcome.Created created)
        {
            metrics.Submitted();
            requestLog.Set("SubmissionId", created.Id);
            // The row is committed: a cancelled request must not leave it without its job.
            await queue.EnqueueIfDispatchedAsync(created.Dispatched, CancellationToken.None).ConfigureAwait(false);
        }
        return outcome;
    }
}
