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
    public void Migrations_are_numbered_without_gaps()
    {
        var versions = Migrator.All().Select(m => m.Version).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }
}
