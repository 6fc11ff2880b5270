using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Grader.Cli.Service;

/// <summary>Calls the Grader service's JSON API; a refusal becomes a <see cref="CliException"/> carrying the server's ProblemDetails detail.</summary>
internal sealed class ServerClient : IDisposable
{
    private readonly HttpClient _http;

    public ServerClient(string server, string? apiKey)
    {
        Server = NormalizeServer(server);
        // Long polls wait up to 30 s on the server; the margin covers a slow network.
        _http = new HttpClient { BaseAddress = new Uri(Server + "/"), Timeout = TimeSpan.FromSeconds(100) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("grader-cli", typeof(ServerClient).Assembly.GetName().Version?.ToString(3) ?? "1"));
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public string Server { get; }

    public static ServerClient LoggedIn()
    {
        var credentials = Credentials.Require();
        return new ServerClient(credentials.Server, credentials.ApiKey);
    }

    public static string NormalizeServer(string server)
    {
        if (!Uri.TryCreate(server.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0)
        {
            throw new CliException($"'{server}' is not a server URL: give it as https://grader.example.edu (or http://localhost:5000 for a local one).");
        }
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), cancellationToken);

    public Task<T> PostAsync<T>(string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content }, cancellationToken);

    public Task<T> PostJsonAsync<T, TBody>(string path, TBody body, CancellationToken cancellationToken) =>
        PostAsync<T>(path, JsonContent.Create(body, options: Terminal.JsonOptions), cancellationToken);

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/')), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Terminal.JsonOptions, cancellationToken)
                ?? throw new CliException($"{Server} answered {request.RequestUri} with an empty body.");
        }
        catch (JsonException e)
        {
            throw new CliException($"{Server} answered {request.RequestUri} with something that is not the expected JSON ({e.Message}). Is it a Grader server?");
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Cannot reach {Server}: {e.Message}. Check the URL and your network.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"{Server} did not answer in {_http.Timeout.TotalSeconds:0} s; try again later.");
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw new CliException(await DescribeAsync(response, cancellationToken));
        }
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return "The server did not accept your API key (revoked or mistyped?): run `grader login <server-url>` again.";
        }
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return "Your account may not do this (instructors only?).";
        }
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var lines = new List<string> { $"{(int)response.StatusCode} {title ?? response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}" };
            if (root.TryGetProperty("problems", out var problems) && problems.ValueKind == JsonValueKind.Array)
            {
                lines.AddRange(problems.EnumerateArray().Select(p => "  " + (p.TryGetProperty("text", out var text) ? text.GetString() : p.ToString())));
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                lines.AddRange(errors.EnumerateObject().Select(e => $"  {e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(v => v.GetString()))}"));
            }
            return string.Join(Environment.NewLine, lines);
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase} from {response.RequestMessage?.RequestUri}";
        }
    }

    public void Dispose() => _http.Dispose();
}
