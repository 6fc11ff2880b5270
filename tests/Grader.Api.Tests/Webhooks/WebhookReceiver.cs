using System.Collections.Concurrent;
using System.Globalization;
using Grader.Api.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grader.Api.Tests.Webhooks;

public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body, DateTimeOffset ReceivedAt)
{
    public bool SignedWith(string secret) =>
        WebhookSignature.Matches(WebhookSignature.KeyOf(secret), Id, long.Parse(Timestamp, CultureInfo.InvariantCulture), Body, Signature);

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>
/// A real HTTP server on loopback that records every webhook it receives. "Down" means not
/// listening at all (connection refused); brought up again, it listens on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}/hooks";
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>How long to sit on each request before answering (a slow receiver).</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver(0);
        await receiver.UpAsync();
        return receiver;
    }

    public async Task UpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, request.HttpContext.RequestAborted);
            }
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            Received.Enqueue(new ReceivedWebhook(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(), buffer.ToArray(), DateTimeOffset.UtcNow));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
    }

    public async Task DownAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(DownAsync());
}
