using System.Text.RegularExpressions;
using Npgsql;

namespace Grader.Api.Database;

// A schema that a library installs with its own versioned scripts (the queue's), run after the
// numbered migrations and under the same lock.
public interface ISchemaInstaller
{
    string Name { get; }

    Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}

// Applies the numbered .sql files embedded in this assembly, in order, each in its own
// transaction, under an advisory lock so that several nodes starting together migrate once.
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger, IEnumerable<ISchemaInstaller>? installers = null)
{
    // Any constant shared by every node; "grader" in ASCII.
    private const long LockKey = 0x67726164_6572;
    private const string Prefix = "Grader.Api.Migrations.";

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[Prefix.Length..^4];
                var match = NumberedName().Match(name);
                if (!match.Success)
                {
                    throw new InvalidOperationException($"Migration '{name}' must be named NNNN_description.sql.");
                }
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { Parameters = { new() { Value = LockKey } } })
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await using (var create = new NpgsqlCommand(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            var count = 0;
            foreach (var migration in All().Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction)
                {
                    Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name } },
                })
                {
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Applied migration {MigrationVersion} {MigrationName}", migration.Version, migration.Name);
                count++;
            }
            foreach (var installer in installers ?? [])
            {
                await installer.InstallAsync(connection, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Schema {SchemaName} is up to date", installer.Name);
            }
            return count;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = LockKey } } };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // The migrations of this build that the database has not had; all of them when it has none.
    public async Task<IReadOnlyList<Migration>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return All();
            }
        }
        var applied = await AppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        return All().Where(m => !applied.Contains(m.Version)).ToList();
    }

    private static async Task<HashSet<int>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new HashSet<int>();
        await using var select = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetInt32(0));
        }
        return applied;
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+$")]
    private static partial Regex NumberedName();
}

// Runs the migrations before any other hosted service starts (registered first).
internal sealed class MigrateOnStart(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

// Where migrating is a step of its own (production), a node that starts on a database without this
// build's migrations stops at once and says what to run, instead of serving errors. A database it
// cannot reach is an outage, not a reason to stop: the node starts, and readiness reports it.
internal sealed partial class SchemaCheckOnStart(Migrator migrator, ILogger<SchemaCheckOnStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Migrator.Migration> pending;
        try
        {
            pending = await migrator.PendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseOutage.IsUnavailable(e) || e is TimeoutException)
        {
            LogUnreachable(e);
            return;
        }
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database lacks {pending.Count} of this build's {Migrator.All().Count} migrations (the first is {pending[0].Name}). " +
                "Run `dotnet Grader.Api.dll migrate` with the same configuration (or start with Database:MigrateOnStart=true), then start the service again.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Could not check the database's migrations at start (it is unreachable); starting anyway")]
    private partial void LogUnreachable(Exception e);
}
