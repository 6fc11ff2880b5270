using System.Net;
using Grader.Api.Webhooks;
using Microsoft.Extensions.Options;

namespace Grader.Api.Tests.Webhooks;

public sealed class DestinationGuardTests
{
    private static DestinationGuard Guard(params string[] allowed) =>
        new(Options.Create(new WebhookOptions { AllowedPrivateNetworks = [.. allowed], RequireHttps = false }));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Internal_addresses_are_refused(string address)
    {
        Assert.NotNull(Guard().Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.Null(Guard().Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_configured_network_is_allowed_and_only_that_one()
    {
        var guard = Guard("127.0.0.0/8");

        Assert.Null(guard.Refusal(IPAddress.Loopback));
        Assert.NotNull(guard.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.NotNull(guard.Refusal(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "private network")]
    [InlineData("http://169.254.169.254/latest/meta-data", "private network")]
    [InlineData("http://[::1]/hook", "private network")]
    [InlineData("http://localhost/hook", "private network")]
    [InlineData("ftp://example.org/hook", "https://")]
    [InlineData("http://user:pass@93.184.216.34/hook", "password")]
    [InlineData("/relative", "https://")]
    public async Task Registration_refuses_urls_that_reach_inside_or_are_not_http(string url, string reason)
    {
        var problem = await Guard().CheckUrlAsync(url, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_is_refused_when_https_is_required()
    {
        var guard = new DestinationGuard(Options.Create(new WebhookOptions()));

        Assert.Contains("https://", await guard.CheckUrlAsync("http://93.184.216.34/hook", CancellationToken.None), StringComparison.Ordinal);
        Assert.Null(await guard.CheckUrlAsync("https://93.184.216.34/hook", CancellationToken.None));
    }

    [Fact]
    public async Task A_connection_to_a_refused_address_is_never_opened_even_when_the_url_got_past_registration()
    {
        // As when a registered name is later pointed at an internal address.
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = Guard().ConnectAsync, UseProxy = false });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(receiver.Url, new StringContent("{}")));

        Assert.Contains("request forgery", error.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }
}
