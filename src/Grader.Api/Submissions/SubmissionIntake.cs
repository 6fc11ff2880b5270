using System.Security.Cryptography;
using System.Text;
using Grader.Api.Assignments;
using Grader.Api.Hosting;
using Grader.Api.Observability;
using Microsoft.Extensions.Options;

namespace Grader.Api.Submissions;

// The one way a submission enters Grader, from a student or an LMS: hash, insert (with the
// idempotency key and the submission limit), count, and create its job if it heads its lane.
public sealed class SubmissionIntake(
    SubmissionStore submissions,
    SubmissionQueue queue,
    GradingEngineHost engine,
    IOptions<GraderOptions> roles,
    GraderMetrics metrics,
    Serilog.IDiagnosticContext requestLog)
{
    private readonly bool _gradesHere = roles.Value.IsWorker;

    public async Task<SubmitOutcome> SubmitAsync(Guid studentId, AssignmentGate assignment, int version, string source, string? idempotencyKey,
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
            if (created.Dispatched is not null && _gradesHere)
            {
                // It heads its student's lane, so its job comes next: its compile can run while the
                // job is created and fetched (tens of ms), which the student would otherwise wait
                // for in turn. A job fetched by another node compiles for itself, as without this.
                engine.CompileAhead(source);
            }
            // The row is committed: a cancelled request must not leave it without its job.
            await queue.EnqueueIfDispatchedAsync(created.Dispatched, CancellationToken.None).ConfigureAwait(false);
        }
        return outcome;
    }
}
