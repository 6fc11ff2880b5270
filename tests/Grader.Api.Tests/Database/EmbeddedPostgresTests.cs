using Grader.Api.Database;
using Npgsql;

namespace Grader.Api.Tests.Database;

[Collection(Infrastructure.PostgresCollection.Name)]
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task A_private_cluster_keeps_its_data_across_a_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"grader-embedded-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            await using (var first = await EmbeddedPostgres.StartAsync(directory, null, CancellationToken.None))
            {
                await first.CreateDatabaseIfMissingAsync("kept", CancellationToken.None);
                await using var connection = new NpgsqlConnection(first.ConnectionString("kept"));
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("CREATE TABLE notes (text text); INSERT INTO notes VALUES ('still here')", connection);
                await command.ExecuteNonQueryAsync();
            }

            await using var second = await EmbeddedPostgres.StartAsync(directory, null, CancellationToken.None);
            await second.CreateDatabaseIfMissingAsync("kept", CancellationToken.None);
            await using var again = new NpgsqlConnection(second.ConnectionString("kept"));
            await again.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT text FROM notes", again);
            Assert.Equal("still here", await read.ExecuteScalarAsync());
            // The password is generated once and kept private.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "postgres.password")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_cluster_left_running_by_a_killed_process_is_taken_over()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"grader-embedded-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            // Not disposed: as if the service had been killed with its PostgreSQL still running.
            var abandoned = await EmbeddedPostgres.StartAsync(directory, null, CancellationToken.None);
            await using var next = await EmbeddedPostgres.StartAsync(directory, null, CancellationToken.None);
            await using var connection = new NpgsqlConnection(next.ConnectionString("postgres"));
            await connection.OpenAsync();
            Assert.NotEqual(0, next.Port);
            GC.KeepAlive(abandoned);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Missing_PostgreSQL_binaries_give_one_message_that_says_how_to_fix_it()
    {
        var e = Assert.Throws<PostgresNotFoundException>(() => EmbeddedPostgres.FindBinaries("/nonexistent/postgresql/bin"));
        Assert.Contains("apt-get install postgresql", e.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Grader", e.Message, StringComparison.Ordinal);
    }
}
