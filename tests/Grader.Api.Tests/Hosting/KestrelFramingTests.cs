using System.Net;
using System.Net.Sockets;
using System.Text;
using Grader.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Grader.Api.Tests.Hosting;

/// <summary>
/// Bytes an HTTP client library would refuse to send, written to a real Kestrel: what reaches the
/// app is answered with a ProblemDetails rather than an empty 400.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KestrelFramingTests(KestrelFramingTests.App app) : IClassFixture<KestrelFramingTests.App>
{
    [Fact]
    public async Task Non_ASCII_bytes_in_the_Idempotency_Key_header_are_a_problem_that_names_the_header()
    {
        var (_, _, key) = await app.CreateUserAsync(Grader.Api.Auth.Roles.Student);
        await app.SeedAssignmentAsync("kestrel-hw", GraderApp.Manifest("kestrel-hw"));

        var (status, contentType, body) = await app.RawAsync("POST /api/assignments/kestrel-hw/submissions HTTP/1.1", [
            Ascii($"Authorization: Bearer {key}"), [.. "Idempotency-Key: k"u8, 0xFF, 0xC3, .. "y"u8], Ascii("Content-Type: text/plain"), Ascii("Content-Length: 6"),
        ], "int x;"u8.ToArray());

        Assert.Equal(400, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", body, StringComparison.Ordinal);
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM submissions"));
    }

    [Fact]
    public async Task Non_ASCII_bytes_in_the_Authorization_header_are_a_401_problem()
    {
        var (status, contentType, body) = await app.RawAsync("GET /api/me HTTP/1.1", [[.. "Authorization: Bearer grd_"u8, 0xE9, 0xE9, .. "_x"u8]], []);

        Assert.Equal(401, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Contains("API key", body, StringComparison.Ordinal);
    }

    private static byte[] Ascii(string line) => Encoding.ASCII.GetBytes(line);

    public sealed class App : GraderApp
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            UseKestrel(0);
            StartServer();
        }

        // One request on its own connection, exactly as written; the response's status, content type and body.
        public async Task<(int Status, string ContentType, string Body)> RawAsync(string requestLine, byte[][] headers, byte[] body)
        {
            var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
            await using var stream = tcp.GetStream();
            var request = new List<byte>(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: localhost\r\nConnection: close\r\n"));
            foreach (var header in headers)
            {
                request.AddRange(header);
                request.AddRange("\r\n"u8.ToArray());
            }
            request.AddRange("\r\n"u8.ToArray());
            request.AddRange(body);
            await stream.WriteAsync(request.ToArray());
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var response = await reader.ReadToEndAsync();
            var (head, content) = response.Split("\r\n\r\n", 2) is [var h, var c] ? (h, c) : (response, "");
            var lines = head.Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var contentType = lines.FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim() ?? "";
            return (status, contentType, content);
        }
    }
}
