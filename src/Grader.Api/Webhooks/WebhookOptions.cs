using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Grader.Api.Webhooks;

public sealed class WebhookOptions : IValidatableObject
{
    // Base64 of 32 bytes; every node must have the same. Empty: a key file in the data folder.
    public string? EncryptionKey { get; set; }

    // Where reports are linked from in payloads.
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    // Plain http endpoints are refused unless this is off (development, tests).
    public bool RequireHttps { get; set; } = true;

    // Private, loopback, link-local and other internal networks (CIDR) that endpoints may reach
    // anyway. Empty by default: the server never posts into its own network.
    public List<string> AllowedPrivateNetworks { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    // The wait before each retry; each is jittered by ±20 %. The default spans about 31 hours.
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    // An endpoint whose attempts have all failed for this long (and at least DisableAfterFailures times) is disabled.
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    [Range(1, 100_000)]
    public int DisableAfterFailures { get; set; } = 20;

    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    // How long a rotated-out secret keeps signing by default.
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    // Inbound LMS requests older or newer than this are refused as replays.
    public TimeSpan InboundTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan[] DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
        TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EncryptionKey is { Length: > 0 } key)
        {
            byte[]? bytes = null;
            try
            {
                bytes = Convert.FromBase64String(key);
            }
            catch (FormatException)
            {
            }
            if (bytes is not { Length: 32 })
            {
                yield return new ValidationResult("Webhooks:EncryptionKey must be the base64 of 32 random bytes (openssl rand -base64 32).", [nameof(EncryptionKey)]);
            }
        }
        foreach (var network in AllowedPrivateNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return new ValidationResult($"Webhooks:AllowedPrivateNetworks: '{network}' is not a CIDR network such as 127.0.0.0/8.", [nameof(AllowedPrivateNetworks)]);
            }
        }
        if (RetrySchedule.Any(d => d < TimeSpan.Zero))
        {
            yield return new ValidationResult("Webhooks:RetrySchedule: waits cannot be negative.", [nameof(RetrySchedule)]);
        }
    }
}
