using System.Diagnostics;
using System.Globalization;
using Grader.Api.Database;
using Grader.Api.Submissions;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Grader.Queue;

// Hangfire.PostgreSql's dequeue with many jobs queued: a throwaway PostgreSQL, the service's
// migrations and queue storage, N jobs on the `grade` queue, then the fetch query timed by
// EXPLAIN ANALYZE and the real FetchNextJob timed from the client, alone and from parallel workers.
internal static class QueueBench
{
    // The fetch of Hangfire.PostgreSql 1.21.1 (PostgreSqlJobQueue.Dequeue_Transaction) for
    // schema "hangfire" and the service's 15 s invisibility timeout.
    private const string FetchSql = """
        UPDATE "hangfire"."jobqueue"
        SET "fetchedat" = NOW()
        WHERE "id" = (
          SELECT "id"
          FROM "hangfire"."jobqueue"
          WHERE "queue" = ANY (@Queues)
          AND ("fetchedat" IS NULL OR "fetchedat" < NOW() + INTERVAL '-15 SECONDS')
          ORDER BY "fetchedat" NULLS FIRST, "queue", "jobid"
          FOR UPDATE SKIP LOCKED
          LIMIT 1
        )
        RETURNING "id" AS "Id", "jobid" AS "JobId", "queue" AS "Queue", "fetchedat" AS "FetchedAt";
        """;

    public static async Task<int> Main(string[] args)
    {
        int queued = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        int parallel = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        var directory = Path.Combine(Path.GetTempPath(), $"grader-queue-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            await using var cluster = await EmbeddedPostgres.StartAsync(directory, null, CancellationToken.None);
            await cluster.CreateDatabaseIfMissingAsync("queue_bench", CancellationToken.None);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Grader"] = cluster.ConnectionString("queue_bench"),
                ["Grader:Roles"] = "api",
                ["Database:MigrateOnStart"] = "false",
            });
            builder.AddDatabase();
            builder.AddSubmissions();
            using var host = builder.Build();
            await host.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
            var storage = host.Services.GetRequiredService<JobStorage>();
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

            await EnqueueAsync(storage, 100, parallel);
            await ReportAsync(storage, dataSource, "100 queued", samples: 100);
            // The 100 above were fetched and removed: the queue is empty again.
            await EnqueueAsync(storage, queued - int.Parse(await ScalarAsync(dataSource, "SELECT count(*) FROM hangfire.jobqueue"), CultureInfo.InvariantCulture), parallel);
            await ReportAsync(storage, dataSource, $"{queued} queued", samples: 100);
            await WithoutNullsFirstIndexAsync(dataSource, samples: 20);
            await DrainAsync(storage, dataSource, parallel, jobs: 2_000);
            // The drained jobs' rows are dead until vacuumed, and the fetch's index scan starts at them.
            await ReportAsync(storage, dataSource, "after the drain, before any vacuum", samples: 100);
            await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE hangfire.jobqueue"))
            {
                await vacuum.ExecuteNonQueryAsync();
            }
            await ReportAsync(storage, dataSource, "after VACUUM ANALYZE", samples: 100);
        }
        finally
        {
            Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        return 0;
    }

    // Stands in for the service's job: the fetch does not look at what a job calls.
    public static void Grade(long submissionId) => _ = submissionId;

    private static async Task EnqueueAsync(JobStorage storage, int count, int parallel)
    {
        var client = new BackgroundJobClient(storage);
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, (i, _) =>
        {
            client.Create(() => Grade(i), new EnqueuedState(SubmissionQueue.QueueName));
            return ValueTask.CompletedTask;
        });
        Console.WriteLine($"enqueued {count} through Hangfire's client ({parallel} threads) in {clock.Elapsed.TotalSeconds:F1} s: {count / clock.Elapsed.TotalSeconds:F0}/s");
    }

    private static async Task ReportAsync(JobStorage storage, NpgsqlDataSource dataSource, string label, int samples)
    {
        Console.WriteLine($"--- {label}: {await ScalarAsync(dataSource, "SELECT count(*) FROM hangfire.jobqueue")} rows in hangfire.jobqueue, " +
            $"{await ScalarAsync(dataSource, "SELECT pg_size_pretty(pg_total_relation_size('hangfire.jobqueue'))")} with indexes, " +
            $"hangfire.job {await ScalarAsync(dataSource, "SELECT pg_size_pretty(pg_total_relation_size('hangfire.job'))")}");
        var executions = new List<double>();
        string? plan = null;
        for (int i = 0; i < samples; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var (execution, text) = await ExplainFetchAsync(connection, transaction);
            // Rolled back: every sample sees the same queue.
            await transaction.RollbackAsync();
            executions.Add(execution);
            plan ??= text;
        }
        Console.WriteLine($"fetch SQL, EXPLAIN ANALYZE execution time over {samples}: {Summary(executions)}");
        Console.WriteLine(plan);

        // The real client call, from a fresh storage connection each time as a worker does, and the
        // delete that acknowledges the job.
        var fetches = new List<double>();
        var removes = new List<double>();
        for (int i = 0; i < samples; i++)
        {
            using var connection = storage.GetConnection();
            var clock = Stopwatch.StartNew();
            using var fetched = connection.FetchNextJob([SubmissionQueue.QueueName], CancellationToken.None);
            fetches.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            fetched.RemoveFromQueue();
            removes.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"FetchNextJob, one worker, {samples} jobs: {Summary(fetches)}; RemoveFromQueue: {Summary(removes)}");
    }

    // Hangfire.PostgreSql before 1.20.8 (its Install.v22.sql) had no index in the fetch's ORDER BY
    // order, which is what the reports of a slow dequeue with tens of thousands queued ran.
    private static async Task WithoutNullsFirstIndexAsync(NpgsqlDataSource dataSource, int samples)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var drop = new NpgsqlCommand("DROP INDEX hangfire.ix_hangfire_jobqueue_fetchedat_queue_jobid", connection, transaction))
        {
            await drop.ExecuteNonQueryAsync();
        }
        var executions = new List<double>();
        string? plan = null;
        for (int i = 0; i < samples; i++)
        {
            var (execution, text) = await ExplainFetchAsync(connection, transaction);
            executions.Add(execution);
            plan ??= text;
        }
        // The index comes back with the rollback.
        await transaction.RollbackAsync();
        Console.WriteLine($"fetch SQL without ix_hangfire_jobqueue_fetchedat_queue_jobid, over {samples}: {Summary(executions)}");
        Console.WriteLine(plan);
    }

    // Workers fetching at once, as the nodes of a deadline rush would: the dequeue rate one PostgreSQL gives.
    private static async Task DrainAsync(JobStorage storage, NpgsqlDataSource dataSource, int parallel, int jobs)
    {
        var before = long.Parse(await ScalarAsync(dataSource, "SELECT count(*) FROM hangfire.jobqueue"), CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = parallel }, (_, _) =>
        {
            using var connection = storage.GetConnection();
            using var fetched = connection.FetchNextJob([SubmissionQueue.QueueName], CancellationToken.None);
            fetched.RemoveFromQueue();
            return ValueTask.CompletedTask;
        });
        Console.WriteLine($"--- {parallel} workers fetched and removed {jobs} of {before} queued in {clock.Elapsed.TotalSeconds:F1} s: {jobs / clock.Elapsed.TotalSeconds:F0} jobs/s");
    }

    // The server's own execution time of one fetch, and its plan.
    private static async Task<(double ExecutionMs, string Plan)> ExplainFetchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + FetchSql, connection, transaction);
        explain.Parameters.AddWithValue("Queues", new[] { SubmissionQueue.QueueName });
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }
        var execution = double.Parse(lines.Single(l => l.StartsWith("Execution Time:", StringComparison.Ordinal)).Split(' ')[2], CultureInfo.InvariantCulture);
        return (execution, string.Join(Environment.NewLine, lines.Select(l => "    " + l)));
    }

    private static async Task<string> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    private static string Summary(List<double> values)
    {
        values.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"median {values[values.Count / 2]:F2} ms, p95 {values[(int)(values.Count * 0.95)]:F2} ms, max {values[^1]:F2} ms");
    }
}
