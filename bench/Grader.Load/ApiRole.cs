using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

// What the API role alone carries: --accept N fires N submissions from --concurrency clients at
// once and times each POST until it is answered (stored and enqueued), without waiting for any
// grade. Point it at an API-only node (Grader__Roles=api) with no worker running, so grading
// takes none of the cores.
internal static class ApiRole
{
    public static async Task<int> RunAsync(Options options, HttpClient http, string assignment, string[] sources, List<HttpClient> students)
    {
        using var connections = ConnectionSampler.Start(options.Database);
        var latencies = new double[options.Accept];
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            for (var i = Interlocked.Increment(ref next); i < options.Accept; i = Interlocked.Increment(ref next))
            {
                var client = students[i % students.Count];
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync($"/api/assignments/{assignment}/submissions", new StringContent(sources[i % sources.Length], Encoding.UTF8, "text/plain"));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            machine: {Environment.MachineName}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end
            mode: API role only, {options.Accept} submissions from {options.Concurrency} concurrent clients ({students.Count} students), nothing graded
            accepted: {options.Accept - failures}, refused or failed: {failures}
            wall time: {elapsed.TotalSeconds:F1} s, accepted/s: {(options.Accept - failures) / elapsed.TotalSeconds:F1}
            POST latency ms: p50 {Percentile(latencies, 0.50):F1}, p95 {Percentile(latencies, 0.95):F1}, p99 {Percentile(latencies, 0.99):F1}, max {latencies[^1]:F1}
            {connections?.Report() ?? "connections: not sampled (pass --database <connection string>)"}
            """));
        return failures == 0 ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// Samples pg_stat_activity every 250 ms and keeps, per application_name (give each node its own
/// with "Application Name=…" in its connection string), the most connections seen at once and
/// the most of those that were running a statement.
/// </summary>
internal sealed class ConnectionSampler : IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly Timer _timer;
    private readonly Dictionary<string, (int Open, int Active)> _peaks = new(StringComparer.Ordinal);
    private int _samples;

    private ConnectionSampler(string connectionString)
    {
        _source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "grader-load-sampler", MaxPoolSize = 1 }.ConnectionString);
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public static ConnectionSampler? Start(string? connectionString) => connectionString is null ? null : new ConnectionSampler(connectionString);

    private void Sample()
    {
        if (!Monitor.TryEnter(_peaks))
        {
            return;
        }
        try
        {
            using var command = _source.CreateCommand("""
                SELECT application_name, count(*)::int, count(*) FILTER (WHERE state = 'active')::int
                FROM pg_stat_activity
                WHERE datname = current_database() AND application_name <> 'grader-load-sampler'
                GROUP BY application_name
                """);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0) is { Length: > 0 } n ? n : "(no application name)";
                var (open, active) = _peaks.GetValueOrDefault(name);
                _peaks[name] = (Math.Max(open, reader.GetInt32(1)), Math.Max(active, reader.GetInt32(2)));
            }
            _samples++;
        }
        catch (NpgsqlException)
        {
            // A missed sample only lowers the peak slightly; the benchmark goes on.
        }
        finally
        {
            Monitor.Exit(_peaks);
        }
    }

    public string Report()
    {
        lock (_peaks)
        {
            return $"connections (peak open / peak running a statement, {_samples} samples every 250 ms): "
                + string.Join(", ", _peaks.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value.Open} / {p.Value.Active}"));
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_peaks)
        {
            _source.Dispose();
        }
    }
}
