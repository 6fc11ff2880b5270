using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Grader.Api.Webhooks;

// Standard Webhooks signing: webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">,
// keyed with the base64 part of a whsec_… secret. Several signatures are separated by spaces.
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    // A fresh secret: 32 random bytes (the specification asks for 24 to 64).
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] KeyOf(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return Convert.FromBase64String(encoded);
    }

    public static string Sign(string secret, string messageId, long timestamp, string body) =>
        Sign(KeyOf(secret), messageId, timestamp, Encoding.UTF8.GetBytes(body));

    public static string Sign(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    // The header value: one signature per secret (two while a rotated secret overlaps).
    public static string Header(IEnumerable<byte[]> keys, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var signatures = new List<string>();
        foreach (var key in keys)
        {
            signatures.Add(Sign(key, messageId, timestamp, body));
        }
        return string.Join(' ', signatures);
    }

    // Whether any v1 signature in the header was made with the key (compared in constant time).
    public static bool Matches(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body, string signatureHeader)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(key, messageId, timestamp, body));
        bool any = false;
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate.StartsWith("v1,", StringComparison.Ordinal))
            {
                any |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate));
            }
        }
        return any;
    }
}
