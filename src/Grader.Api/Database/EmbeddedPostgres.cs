using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Grader.Api.Hosting;
using Npgsql;

namespace Grader.Api.Database;

// PostgreSQL is needed but its server binaries are not on this machine.
public sealed class PostgresNotFoundException(string message) : Exception(message);

// A private PostgreSQL cluster started from the machine's own binaries: initdb'd once in a data
// folder that survives restarts, started on a free loopback port, stopped on dispose. Used when
// no connection string is configured, and by the integration tests.
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "grader";
    private readonly string _pgData;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private int _stopped;

    private EmbeddedPostgres(string pgData, string binDirectory, bool asPostgresUser, int port, string password)
    {
        _pgData = pgData;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
        Password = password;
    }

    public int Port { get; }
    public string Password { get; }
    public string DataDirectory => _pgData;

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    }.ConnectionString;

    // Initialises (first time) and starts the cluster under dataDirectory/postgres.
    public static Task<EmbeddedPostgres> StartAsync(string dataDirectory, string? binDirectory, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, binDirectory, null, cancellationToken);

    // With a port: the cluster restarted where its clients expect it (the outage tests).
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, string? binDirectory, int? port, CancellationToken cancellationToken)
    {
        var bin = FindBinaries(binDirectory);
        var asPostgres = Environment.IsPrivilegedProcess;
        Directory.CreateDirectory(dataDirectory);
        var pgData = Path.Combine(dataDirectory, "postgres");
        var passwordFile = Path.Combine(dataDirectory, "postgres.password");

        if (asPostgres)
        {
            await EnsurePostgresUserCanReach(dataDirectory, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(pgData, "PG_VERSION")))
        {
            await InitDbAsync(bin, pgData, passwordFile, asPostgres, cancellationToken).ConfigureAwait(false);
        }
        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).Trim();

        // A previous run that was killed leaves its postmaster behind, on a port nobody knows.
        if (File.Exists(Path.Combine(pgData, "postmaster.pid")))
        {
            await RunAsync(bin, "pg_ctl", ["stop", "-D", pgData, "-m", "fast", "-w"], asPostgres, cancellationToken, throwOnError: false).ConfigureAwait(false);
        }

        port ??= FreeLoopbackPort();
        // Unix socket paths are limited to 107 bytes; TCP on loopback is what we use anyway.
        var socketDir = pgData.Length < 80 ? pgData : "";
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{socketDir}' -c max_connections=200 -c fsync=on";
        await RunAsync(bin, "pg_ctl",
            ["start", "-D", pgData, "-w", "-t", "60", "-l", Path.Combine(pgData, "server.log"), "-o", serverOptions],
            asPostgres, cancellationToken).ConfigureAwait(false);
        return new EmbeddedPostgres(pgData, bin, asPostgres, port.Value, password);
    }

    public async Task CreateDatabaseIfMissingAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = name } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            // Identifiers cannot be parameters; callers pass validated names only.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await RunAsync(_binDirectory, "pg_ctl", ["stop", "-D", _pgData, "-m", "fast", "-w"], _asPostgresUser, CancellationToken.None, throwOnError: false).ConfigureAwait(false);
    }

    // Stops a cluster left running under dataDirectory by a process that is gone.
    public static async Task StopAbandonedAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var pgData = Path.Combine(dataDirectory, "postgres");
        if (File.Exists(Path.Combine(pgData, "postmaster.pid")))
        {
            await RunAsync(FindBinaries(null), "pg_ctl", ["stop", "-D", pgData, "-m", "immediate", "-w"], Environment.IsPrivilegedProcess,
                cancellationToken, throwOnError: false).ConfigureAwait(false);
        }
    }

    internal static string FindBinaries(string? configured)
    {
        IEnumerable<string> candidates = configured is { Length: > 0 }
            ? [configured]
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin"))
                : [];
        if (configured is not { Length: > 0 })
        {
            candidates = candidates.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        }
        foreach (var dir in candidates)
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }
        throw new PostgresNotFoundException(
            "No PostgreSQL connection string is configured and the PostgreSQL server programs (initdb, pg_ctl) were not found" +
            (configured is { Length: > 0 } ? $" in '{configured}'" : " under /usr/lib/postgresql/*/bin or on PATH") +
            ". Install them (Debian/Ubuntu: 'apt-get install postgresql') or point the service at an existing server with " +
            "ConnectionStrings:Grader (environment variable ConnectionStrings__Grader).");
    }

    private static async Task InitDbAsync(string bin, string pgData, string passwordFile, bool asPostgres, CancellationToken cancellationToken)
    {
        if (Directory.Exists(pgData))
        {
            // A half-finished initdb from an interrupted first start.
            Directory.Delete(pgData, recursive: true);
        }
        Directory.CreateDirectory(pgData);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        PrivateFiles.Restrict(passwordFile);

        // initdb reads the password from a file it can open: a short-lived copy inside PGDATA's parent.
        var initPasswordFile = Path.Combine(Path.GetDirectoryName(pgData)!, $".initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(initPasswordFile, password, cancellationToken).ConfigureAwait(false);
        PrivateFiles.Restrict(initPasswordFile);
        try
        {
            if (asPostgres)
            {
                await RunAsync(bin, "/bin/chown", ["postgres:postgres", pgData, initPasswordFile], asPostgres: false, cancellationToken).ConfigureAwait(false);
            }
            PrivateFiles.Restrict(pgData, directory: true);
            await RunAsync(bin, "initdb",
                ["-D", pgData, "-U", SuperUser, $"--pwfile={initPasswordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"],
                asPostgres, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
    }

    private static async Task EnsurePostgresUserCanReach(string dataDirectory, CancellationToken cancellationToken)
    {
        var id = await RunAsync("", "/usr/bin/id", ["-u", "postgres"], asPostgres: false, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (id.ExitCode != 0)
        {
            throw new PostgresNotFoundException(
                "Running as root, the private PostgreSQL must run as the 'postgres' user, which does not exist. " +
                "Install the server package ('apt-get install postgresql' creates it) or set ConnectionStrings:Grader.");
        }
        var probe = await RunAsync("", "test", ["-x", dataDirectory], asPostgres: true, cancellationToken, throwOnError: false).ConfigureAwait(false);
        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The 'postgres' user cannot enter '{dataDirectory}' (a parent folder is private). Set Grader:DataDirectory " +
                "to a folder every user can traverse, or set ConnectionStrings:Grader.");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record ProcessResult(int ExitCode, string Output);

    private static async Task<ProcessResult> RunAsync(string bin, string program, IReadOnlyList<string> arguments, bool asPostgres,
        CancellationToken cancellationToken, bool throwOnError = true)
    {
        var path = program.StartsWith('/') || bin.Length == 0 ? program : Path.Combine(bin, program);
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asPostgres)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", path])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = path;
        }
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        // pg_ctl's postmaster must not inherit our redirected pipes or reading them would never end.
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output.Trim()}");
        }
        return new ProcessResult(process.ExitCode, output);
    }
}
