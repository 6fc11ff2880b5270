using Grader.Api.Database;
using Grader.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Grader.Api.Tests.Database;

[Collection(PostgresCollection.Name)]
public sealed class MigratorTests
{
    [Fact]
    public async Task Nodes_migrating_at_the_same_time_apply_each_migration_once()
    {
        var connectionString = await PostgresFixture.CreateDatabaseAsync("migrate");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None))));

        Assert.Equal(Migrator.All().Count, applied.Sum());
        await using var command = dataSource.CreateCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(Migrator.All().Count, reader.GetInt64(0));
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_does_nothing()
    {
        var connectionString = await PostgresFixture.CreateDatabaseAsync("uptodate");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new Migrator(dataSource, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        Assert.Equal(0, await migrator.MigrateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_node_that_does_not_migrate_refuses_to_start_on_a_database_without_its_migrations()
    {
        var connectionString = await PostgresFixture.CreateDatabaseAsync("unmigrated");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new Migrator(dataSource, NullLogger<Migrator>.Instance);
        var check = new SchemaCheckOnStart(migrator, NullLogger<SchemaCheckOnStart>.Instance);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => check.StartAsync(CancellationToken.None));
        Assert.Contains($"lacks {Migrator.All().Count} of this build's {Migrator.All().Count} migrations", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Migrator.All()[0].Name, refused.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet Grader.Api.dll migrate", refused.Message, StringComparison.Ordinal);

        await migrator.MigrateAsync(CancellationToken.None);
        await using (var forget = dataSource.CreateCommand($"DELETE FROM schema_migrations WHERE version = {Migrator.All()[^1].Version}"))
        {
            await forget.ExecuteNonQueryAsync();
        }
        var behind = await Assert.ThrowsAsync<InvalidOperationException>(() => check.StartAsync(CancellationToken.None));
        Assert.Contains($"lacks 1 of this build's", behind.Message, StringComparison.Ordinal);
        Assert.Contains(Migrator.All()[^1].Name, behind.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_does_not_migrate_starts_on_a_migrated_database_and_on_an_unreachable_one()
    {
        var connectionString = await PostgresFixture.CreateDatabaseAsync("migrated");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new Migrator(dataSource, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        await new SchemaCheckOnStart(migrator, NullLogger<SchemaCheckOnStart>.Instance).StartAsync(CancellationToken.None);

        // Nothing listens on port 1: an outage, which readiness reports once the node is up.
        await using var nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=grader;Password=x;Database=grader;Timeout=2");
        await new SchemaCheckOnStart(new Migrator(nowhere, NullLogger<Migrator>.Instance), NullLogger<SchemaCheckOnStart>.Instance).StartAsync(CancellationToken.None);
    }

    [Fact]
    public void Migrations_are_numbered_without_gaps()
    {
        var versions = Migrator.All().Select(m => m.Version).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }
}
