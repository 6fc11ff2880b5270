using System.ComponentModel.DataAnnotations;

namespace Grader.Api.Lti;

public sealed class LtiOptions
{
    // Allowed difference between our clock and the platform's for exp and iat.
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    // An id_token issued longer ago than this is refused even if it has not expired.
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan MaxTokenAge { get; set; } = TimeSpan.FromMinutes(10);

    // From login initiation to the id_token's arrival.
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LoginLifetime { get; set; } = TimeSpan.FromMinutes(10);

    // A platform's key set is fetched again after this, or on an unknown kid at most this often.
    public TimeSpan JwksLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan JwksMinRefresh { get; set; } = TimeSpan.FromSeconds(30);

    // How long a rotated-out tool key stays in the published key set.
    public TimeSpan KeyRotationOverlap { get; set; } = TimeSpan.FromDays(2);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    // The wait before each retry of a score; after the last one it is Failed (and can be resent).
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    public static readonly TimeSpan[] DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;
}
