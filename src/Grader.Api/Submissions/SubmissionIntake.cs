using System.Security.Cryptography;
using System.Text;
using Grader.Api.Assignments;
using Grader.Api.Observability;

namespace Grader.Api.Submissions;

// The one way a submission enters Grader, from a student or an LMS: hash, insert (with the
// idempotency key and the submission limit), count, enqueue.
public sealed class SubmissionIntake(SubmissionStore submissions, SubmissionQueue queue, GraderMetrics metrics, ILogger<SubmissionIntake> logger)
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
            try
            {
                await queue.EnqueueAsync(created.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The row is committed as Queued; the sweeper schedules it. The student need not resubmit.
                logger.LogWarning(e, "Could not schedule submission {SubmissionId}; the queue sweeper will", created.Id);
            }
        }
        return outcome;
    }
}
