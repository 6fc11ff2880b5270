using Grader.Api.Hosting;
using Npgsql;

namespace Grader.Api.Database;

public static class DatabaseExtensions
{
    // One NpgsqlDataSource for the process: from ConnectionStrings:Grader, or else a private
    // cluster started now from the machine's PostgreSQL binaries and stopped with the host.
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var databaseOptions = builder.AddValidatedOptions<DatabaseOptions>("Database");

        var connectionString = builder.Configuration.GetConnectionString("Grader");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDirectory = builder.AddValidatedOptions<GraderOptions>("Grader").ResolveDataDirectory(builder.Environment.ContentRootPath);
            Serilog.Log.Information("No ConnectionStrings:Grader: starting a private PostgreSQL in {DataDirectory}", dataDirectory);
            var cluster = EmbeddedPostgres.StartAsync(dataDirectory, databaseOptions.PostgresBinDirectory, CancellationToken.None).GetAwaiter().GetResult();
            cluster.CreateDatabaseIfMissingAsync(databaseOptions.EmbeddedDatabaseName, CancellationToken.None).GetAwaiter().GetResult();
            connectionString = cluster.ConnectionString(databaseOptions.EmbeddedDatabaseName);
            // Created by a factory so the container disposes (stops) it after every hosted service has stopped.
            builder.Services.AddSingleton(_ => cluster);
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
        }

        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "grader" }.Build());
        builder.Services.AddSingleton<Migrator>();
        // Production runs `migrate` as its own step; development migrates as it starts.
        if (databaseOptions.MigrateOnStart ?? builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<MigrateOnStart>();
        }
        else
        {
            builder.Services.AddHostedService<SchemaCheckOnStart>();
        }
        return builder;
    }

    public static async Task MigrateAsync(this IHost app)
    {
        var count = await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        Serilog.Log.Information("{MigrationCount} migrations applied", count);
    }

    // Resolving the cluster from a hosted service makes the container own it (and stop it) from the start.
    private sealed class EmbeddedPostgresLifetime(EmbeddedPostgres cluster, ILogger<EmbeddedPostgres> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("Private PostgreSQL running on 127.0.0.1:{Port}, data in {DataDirectory}", cluster.Port, cluster.DataDirectory);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
