using Grader.Api.Database;
using Npgsql;

namespace Grader.Api.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>
/// One real PostgreSQL for the whole run: a throwaway cluster started from the machine's binaries
/// (the same code the service uses), or the server GRADER_TEST_POSTGRES points at. Each test
/// class gets a fresh database of its own.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EmbeddedPostgres? _cluster;
    private static string? _directory;
    private static string? _external;
    private static int _databases;

    public async Task InitializeAsync() => await EnsureStartedAsync();

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
                _cluster = null;
                try
                {
                    Directory.Delete(_directory!, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string hint)
    {
        await EnsureStartedAsync();
        var name = $"t{Interlocked.Increment(ref _databases)}_{Environment.ProcessId}_{new string(hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}";
        if (_external is not null)
        {
            await using (var connection = new NpgsqlConnection(_external))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
            return new NpgsqlConnectionStringBuilder(_external) { Database = name }.ConnectionString;
        }
        await _cluster!.CreateDatabaseIfMissingAsync(name, CancellationToken.None);
        return _cluster.ConnectionString(name);
    }

    // A test run that was killed (a CI timeout, a cancelled run) could not stop its cluster.
    private static async Task CleanUpAfterKilledRunsAsync()
    {
        foreach (var dir in System.IO.Directory.GetDirectories(Path.GetTempPath(), "grader-tests-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var pid) || IsAlive(pid))
            {
                continue;
            }
            await EmbeddedPostgres.StopAbandonedAsync(dir, CancellationToken.None);
            try
            {
                System.IO.Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_cluster is not null || _external is not null)
            {
                return;
            }
            _external = Environment.GetEnvironmentVariable("GRADER_TEST_POSTGRES") is { Length: > 0 } external ? external : null;
            if (_external is null)
            {
                await CleanUpAfterKilledRunsAsync();
                // Under /tmp: every user (the postgres user too, when tests run as root) can reach it.
                _directory = Path.Combine(Path.GetTempPath(), $"grader-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
                Directory.CreateDirectory(_directory);
                _cluster = await EmbeddedPostgres.StartAsync(_directory, null, CancellationToken.None);
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
