// Load generator for a running Grader service: N students submit an assignment's reference and its
// recorded mistakes over HTTP and wait for their results, or fire a burst and wait for the queue to
// drain. Reports throughput, submit→graded latency and the service's peak memory.
//
//   dotnet run -c Release --project bench/Grader.Load -- --url http://localhost:5080 --key <instructor key>
//       [--package assignments/dlai-c1w2-linear-systems] [--students 8] [--each 10] [--burst 0] [--pid <service pid>]
//       [--sse N]   (N submissions, one at a time: from the stored result to its Server-Sent Event)
//       [--accept N --concurrency 32]   (the API role alone: N submissions accepted, none waited for)
//       [--database <connection string>]   (peak PostgreSQL connections per node's Application Name)
//       [--postmaster <pid>]   (with --pid: PostgreSQL's CPU in the per-component CPU figures)
//       [--unique]   (each submission's source made distinct by a comment, so no cache keyed by it helps)
//
// Start the service with a rate limit that lets the load through, e.g.
//   RateLimits__SubmissionsPerWindow=10000 dotnet run -c Release --project src/Grader.Api
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

var options = Options.Parse(args);
if (options.Sse > 0)
{
    return await SseLatency.RunAsync(options);
}
using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(60) };
var assignment = Path.GetFileName(Path.GetFullPath(options.Package).TrimEnd('/'));
var sources = new[] { Path.Combine(options.Package, "reference.csx") }
    .Concat(Directory.Exists(Path.Combine(options.Package, "mistakes")) ? Directory.GetFiles(Path.Combine(options.Package, "mistakes"), "*.csx").Order(StringComparer.Ordinal) : [])
    .Select(File.ReadAllText)
    .ToArray();

var students = new List<HttpClient>();
for (var i = 0; i < Math.Max(options.Students, 1); i++)
{
    students.Add(await CreateStudentAsync($"load-{DateTime.UtcNow:yyyyMMddHHmmss}-{i}"));
}

if (options.Accept > 0)
{
    return await ApiRole.RunAsync(options, http, assignment, sources, students);
}

using var memory = new PeakMemory(options.Pid);
using var connections = ConnectionSampler.Start(options.Database);
var cpuGroup = options.Pid is { } servicePid ? CpuUse.Account(servicePid) : null;
var cpuBefore = options.Pid is { } pidToSample ? CpuUse.Sample(pidToSample, options.Postmaster, cpuGroup) : null;
var clock = Stopwatch.StartNew();
var results = options.Burst > 0 ? await BurstAsync(options.Burst) : await SteadyAsync();
var elapsed = clock.Elapsed;
memory.Stop();
var cpu = cpuBefore is null ? null : CpuUse.Sample(options.Pid!.Value, options.Postmaster, cpuGroup) - cpuBefore;

var finished = results.Where(r => r.Status is not null).ToList();
var latencies = finished.Select(r => r.LatencyMs).Order().ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    machine: {Environment.MachineName}, {Environment.ProcessorCount} cores, {Environment.OSVersion}
    mode: {(options.Burst > 0 ? $"burst of {options.Burst}" : $"{options.Students} students x {options.Each} submissions, one at a time each")}
    assignment: {assignment} ({sources.Length} sources: reference + {sources.Length - 1} mistakes)
    submitted: {results.Count}, finished: {finished.Count}, lost or unfinished: {results.Count - finished.Count}
    statuses: {string.Join(", ", finished.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}
    wall time: {elapsed.TotalSeconds:F1} s, throughput: {finished.Count / elapsed.TotalSeconds:F2} graded/s
    submit->graded latency ms: p50 {Percentile(latencies, 0.50):F0}, p95 {Percentile(latencies, 0.95):F0}, max {(latencies.Length == 0 ? 0 : latencies[^1]):F0}
    service peak memory (process tree RSS): {(options.Pid is null ? "not measured (pass --pid)" : $"{memory.PeakBytes / (1024.0 * 1024):F0} MiB (in MiB: {memory.DescribePeak()})")}
    {cpu?.PerSubmission(finished.Count, options.Postmaster is not null) ?? "cpu: not measured (pass --pid)"}
    {DrainPer100(finished)}
    {connections?.Report() ?? "connections: not sampled (pass --database <connection string>)"}
    """));
return results.Count == finished.Count ? 0 : 1;

async Task<List<Result>> SteadyAsync()
{
    var all = new List<Result>();
    await Task.WhenAll(students.Select(async (client, s) =>
    {
        for (var i = 0; i < options.Each; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var id = await SubmitAsync(client, sources[(s + i) % sources.Length]);
            var (status, finishedAt) = await WaitAsync(client, id, TimeSpan.FromSeconds(120));
            lock (all)
            {
                all.Add(new Result(status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, finishedAt));
            }
        }
    }));
    return all;
}

async Task<List<Result>> BurstAsync(int count)
{
    var submitted = new List<(HttpClient Client, Guid Id, long Started)>();
    var gate = new SemaphoreSlim(32);
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var client = students[i % students.Count];
            var started = Stopwatch.GetTimestamp();
            var id = await SubmitAsync(client, sources[i % sources.Length]);
            lock (submitted)
            {
                submitted.Add((client, id, started));
            }
        }
        finally
        {
            gate.Release();
        }
    }));
    var results = new Result[submitted.Count];
    await Task.WhenAll(submitted.Select(async (s, i) =>
    {
        await gate.WaitAsync();
        try
        {
            var (status, finishedAt) = await WaitAsync(s.Client, s.Id, TimeSpan.FromMinutes(15));
            results[i] = new Result(status, Stopwatch.GetElapsedTime(s.Started).TotalMilliseconds, finishedAt);
        }
        finally
        {
            gate.Release();
        }
    }));
    return [.. results];
}

async Task<HttpClient> CreateStudentAsync(string externalId)
{
    var admin = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = JsonContent.Create(new { externalId, role = "student" }) };
    admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
    var user = await (await http.SendAsync(admin)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    var keyRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/users/{user.GetProperty("id").GetGuid()}/keys") { Content = JsonContent.Create(new { name = "load" }) };
    keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
    var key = await (await http.SendAsync(keyRequest)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("key").GetString());
    return client;
}

async Task<Guid> SubmitAsync(HttpClient client, string source)
{
    if (options.Unique)
    {
        // A source no one submitted before: nothing keyed by its hash can be reused.
        source += $"\n// {Guid.NewGuid()}\n";
    }
    var response = await client.PostAsync($"/api/assignments/{assignment}/submissions", new StringContent(source, Encoding.UTF8, "text/plain"));
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"Submit failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
}

async Task<(string? Status, DateTimeOffset? FinishedAt)> WaitAsync(HttpClient client, Guid id, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (DateTime.UtcNow < deadline)
    {
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}?wait=30");
        var status = view.GetProperty("status").GetString();
        if (status is not ("Queued" or "Running"))
        {
            return (status, view.GetProperty("finishedAt").GetDateTimeOffset());
        }
    }
    return (null, null);
}

// How fast the queue drained, per block of 100 results in the order the server stored them: a
// stall shows as one slow block, a slowdown as falling rates.
static string DrainPer100(List<Result> finished)
{
    var times = finished.Where(r => r.FinishedAt is not null).Select(r => r.FinishedAt!.Value).Order().ToArray();
    if (times.Length < 200)
    {
        return "drain per 100: fewer than 200 results";
    }
    var rates = new List<string>();
    for (var end = 100; end < times.Length; end += 100)
    {
        var seconds = (times[end] - times[end - 100]).TotalSeconds;
        rates.Add(string.Create(CultureInfo.InvariantCulture, $"{100 / Math.Max(seconds, 1e-3):F1}"));
    }
    var longest = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Max();
    return string.Create(CultureInfo.InvariantCulture, $"drain per 100 (graded/s): {string.Join(" ", rates)}; longest gap between two results: {longest:F2} s");
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

internal sealed record Result(string? Status, double LatencyMs, DateTimeOffset? FinishedAt);

internal sealed record Options(string Url, string Key, string Package, int Students, int Each, int Burst, int? Pid, int Sse, int Accept, int Concurrency, string? Database, int? Postmaster, bool Unique)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            Value("--url") ?? "http://localhost:5080",
            Value("--key") ?? throw new ArgumentException("--key <instructor API key> is required (see .grader/bootstrap-instructor.key)."),
            Value("--package") ?? "assignments/dlai-c1w2-linear-systems",
            Int("--students", 8),
            Int("--each", 10),
            Int("--burst", 0),
            Value("--pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            Int("--sse", 0),
            Int("--accept", 0),
            Int("--concurrency", 32),
            Value("--database"),
            Value("--postmaster") is { } pm ? int.Parse(pm, CultureInfo.InvariantCulture) : null,
            args.Contains("--unique"));
    }
}

/// <summary>Samples the resident memory of a process and all its descendants (runners, compile server).</summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly Timer? _timer;
    private readonly int? _pid;

    public PeakMemory(int? pid)
    {
        _pid = pid;
        _timer = pid is null ? null : new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public long PeakBytes { get; private set; }

    /// <summary>What made up the peak sample: resident bytes and process count per command name.</summary>
    public IReadOnlyDictionary<string, (int Count, long Bytes)> AtPeak { get; private set; } = new Dictionary<string, (int, long)>();

    public string DescribePeak() => string.Join(", ", AtPeak.OrderByDescending(p => p.Value.Bytes)
        .Select(p => $"{p.Key} {p.Value.Bytes / (1024.0 * 1024):F0}{(p.Value.Count > 1 ? $" ({p.Value.Count} processes)" : "")}"));

    public void Stop() => _timer?.Change(Timeout.Infinite, Timeout.Infinite);

    public void Dispose() => _timer?.Dispose();

    private void Sample()
    {
        try
        {
            var children = new Dictionary<int, List<int>>();
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && File.Exists(Path.Combine(dir, "stat")))
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                    (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
                }
            }
            long total = 0;
            var parts = new Dictionary<string, (int Count, long Bytes)>(StringComparer.Ordinal);
            var stack = new Stack<int>([_pid!.Value]);
            while (stack.TryPop(out var pid))
            {
                var status = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "status");
                var rss = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
                long bytes = rss is null ? 0 : long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                total += bytes;
                var name = pid == _pid ? "service" : CommandName(pid);
                var (count, sum) = parts.GetValueOrDefault(name);
                parts[name] = (count + 1, sum + bytes);
                foreach (var child in children.GetValueOrDefault(pid) ?? [])
                {
                    stack.Push(child);
                }
            }
            if (total > PeakBytes)
            {
                (PeakBytes, AtPeak) = (total, parts);
            }
        }
        catch (IOException)
        {
            // A process ended while we read it.
        }
    }

    private static string CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
