using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

// How late the student's page hears of a result: one student signs in to the pages (session
// cookie), submits over the API, and follows the submission's event stream as the page's script
// does. Latency = the moment the final status event is read here − the submission's finishedAt
// (stamped in the transaction that stores the result, just before it commits). Client and service
// share the machine's clock.
internal static partial class SseLatency
{
    public static async Task<int> RunAsync(Options options)
    {
        var baseAddress = new Uri(options.Url);
        using var admin = new HttpClient { BaseAddress = baseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
        var user = await (await admin.PostAsJsonAsync("/api/users", new { externalId = $"sse-{DateTime.UtcNow:yyyyMMddHHmmss}", role = "student" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var key = (await (await admin.PostAsJsonAsync($"/api/users/{user.GetProperty("id").GetGuid()}/keys", new { name = "sse" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // The pages' session, as a browser gets it from the sign-in form.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var form = await browser.GetStringAsync("/sign-in");
        var token = WebUtility.HtmlDecode(Antiforgery().Match(form).Groups[1].Value);
        var signedIn = await browser.PostAsync("/session/key", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__antiforgery"] = token,
            ["apiKey"] = key,
            ["returnUrl"] = "/assignments",
        }));
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in to the pages failed: {(int)signedIn.StatusCode}");
        }

        var assignment = Path.GetFileName(Path.GetFullPath(options.Package).TrimEnd('/'));
        var source = File.ReadAllText(Path.Combine(options.Package, "reference.csx"));
        var latencies = new List<double>();
        for (var i = 0; i < options.Sse; i++)
        {
            var accepted = await api.PostAsync($"/api/assignments/{assignment}/submissions", new StringContent(source + $"\n// {i}\n", Encoding.UTF8, "text/plain"));
            var id = (await accepted.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            DateTimeOffset? heard = null;
            using (var stream = await browser.GetAsync($"/submissions/{id}/events", HttpCompletionOption.ResponseHeadersRead))
            using (var reader = new StreamReader(await stream.EnsureSuccessStatusCode().Content.ReadAsStreamAsync()))
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("data:", StringComparison.Ordinal) && !line.Contains("\"Queued\"", StringComparison.Ordinal) && !line.Contains("\"Running\"", StringComparison.Ordinal))
                    {
                        heard = DateTimeOffset.UtcNow;
                        break;
                    }
                }
            }
            var view = await api.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
            var finishedAt = view.GetProperty("finishedAt").GetDateTimeOffset();
            if (heard is { } h)
            {
                latencies.Add((h - finishedAt).TotalMilliseconds);
            }
        }
        latencies.Sort();
        double At(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            machine: {Environment.MachineName}, {Environment.ProcessorCount} cores
            mode: {options.Sse} submissions of {assignment}, one at a time, each followed on its event stream
            heard: {latencies.Count} of {options.Sse}
            stored result -> final status event read by the client, ms: p50 {At(0.5):F1}, p95 {At(0.95):F1}, max {(latencies.Count == 0 ? 0 : latencies[^1]):F1}
            """));
        return latencies.Count == options.Sse ? 0 : 1;
    }

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
