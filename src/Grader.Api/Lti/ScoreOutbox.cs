using System.Globalization;
using System.Text.Json.Nodes;
using Grader.Api.Webhooks;
using Npgsql;

namespace Grader.Api.Lti;

// Queues a score for every platform course that links the assignment and has the student as a
// member, in the transaction that changed the grade: the same moments grade.changed is written,
// so only real changes of the effective grade (after late penalties, best or last) are sent.
public sealed class ScoreOutbox(TimeProvider time)
{
    public async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, GradeChangedData change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var score = new JsonObject
        {
            ["scoreGiven"] = change.Score,
            ["scoreMaximum"] = change.MaxScore,
            ["activityProgress"] = "Completed",
            ["gradingProgress"] = "FullyGraded",
            // Platforms keep the score with the latest timestamp, so a late retry never overwrites a newer grade.
            ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (change.DaysLate > 0)
        {
            score["comment"] = string.Create(CultureInfo.InvariantCulture, $"{change.DaysLate} day(s) late: {change.LatePenalty:P0} off {change.RawScore:0.##}.");
        }
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO lti_score_deliveries (id, link_id, user_id, sub, score, status, next_attempt_at, created_at)
            SELECT gen_random_uuid(), l.id, $1, u.sub, $3::jsonb, 'Pending', $4, $4
            FROM lti_links l
            JOIN lti_members m ON m.platform_id = l.platform_id AND m.context_id = l.context_id AND m.user_id = $1
            JOIN lti_users u ON u.platform_id = l.platform_id AND u.user_id = $1
            WHERE l.assignment_id = $2 AND (l.lineitem_url IS NOT NULL OR l.lineitems_url IS NOT NULL)
            """, connection, transaction);
        insert.Parameters.Add(new() { Value = change.Student.Id });
        insert.Parameters.Add(new() { Value = change.AssignmentId });
        insert.Parameters.Add(new() { Value = score.ToJsonString() });
        insert.Parameters.Add(new() { Value = now });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
