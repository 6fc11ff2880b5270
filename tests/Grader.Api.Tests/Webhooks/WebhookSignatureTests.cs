using System.Text;
using Grader.Api.Webhooks;

namespace Grader.Api.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The example published with the Standard Webhooks specification.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signing_the_specification_example_gives_its_published_signature()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecSecret, SpecId, SpecTimestamp, SpecBody));
    }

    [Fact]
    public void The_published_signature_verifies_and_any_change_to_id_timestamp_or_body_does_not()
    {
        var key = WebhookSignature.KeyOf(SpecSecret);
        var body = Encoding.UTF8.GetBytes(SpecBody);

        Assert.True(WebhookSignature.Matches(key, SpecId, SpecTimestamp, body, SpecSignature));
        Assert.False(WebhookSignature.Matches(key, SpecId + "x", SpecTimestamp, body, SpecSignature));
        Assert.False(WebhookSignature.Matches(key, SpecId, SpecTimestamp + 1, body, SpecSignature));
        Assert.False(WebhookSignature.Matches(key, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes("{\"test\":2432232314}"), SpecSignature));
        Assert.False(WebhookSignature.Matches(WebhookSignature.KeyOf(WebhookSignature.NewSecret()), SpecId, SpecTimestamp, body, SpecSignature));
    }

    [Fact]
    public void A_header_with_two_signatures_verifies_against_either_secret()
    {
        var current = WebhookSignature.NewSecret();
        var body = Encoding.UTF8.GetBytes("{}");

        var header = WebhookSignature.Header([WebhookSignature.KeyOf(current), WebhookSignature.KeyOf(SpecSecret)], "msg_1", 1700000000, body);

        Assert.Equal(2, header.Split(' ').Length);
        Assert.True(WebhookSignature.Matches(WebhookSignature.KeyOf(current), "msg_1", 1700000000, body, header));
        Assert.True(WebhookSignature.Matches(WebhookSignature.KeyOf(SpecSecret), "msg_1", 1700000000, body, header));
        Assert.False(WebhookSignature.Matches(WebhookSignature.KeyOf(WebhookSignature.NewSecret()), "msg_1", 1700000000, body, header));
    }

    [Fact]
    public void New_secrets_carry_32_random_bytes_behind_the_whsec_prefix()
    {
        var a = WebhookSignature.NewSecret();
        var b = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(32, WebhookSignature.KeyOf(a).Length);
        Assert.NotEqual(a, b);
    }
}
