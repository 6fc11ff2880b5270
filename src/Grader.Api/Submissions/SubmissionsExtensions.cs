using Grader.Api.Database;
using Grader.Api.Hosting;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace Grader.Api.Submissions;

public static class SubmissionsExtensions
{
    public const string HangfireSchema = "hangfire";

    // Hangfire on our PostgreSQL (schema "hangfire", installed by the migrations), connections from
    // the app's one NpgsqlDataSource. Every node enqueues; only worker nodes run a Hangfire server,
    // with as many workers as the runner pool has runners.
    //
    // Hangfire keeps process-wide defaults (GlobalConfiguration, JobStorage.Current). The storage and
    // the job activator are registered here, per host, before AddHangfire, so that AddHangfire's
    // TryAdd keeps ours: two hosts in one process (the tests) never share a queue.
    public static IHostApplicationBuilder AddSubmissions(this IHostApplicationBuilder builder)
    {
        var roles = builder.AddValidatedOptions<GraderOptions>("Grader");
        var queue = builder.AddValidatedOptions<QueueOptions>("Queue");
        var grading = builder.AddValidatedOptions<GradingOptions>("Grading");

        builder.Services.AddSingleton<SubmissionStore>();
        builder.Services.AddSingleton<RegradeStore>();
        builder.Services.AddSingleton<SubmissionQueue>();
        builder.Services.AddSingleton<SubmissionIntake>();
        builder.Services.AddSingleton<GradingEngineHost>();
        builder.Services.AddSingleton<PackageCache>();
        builder.Services.AddSingleton<SubmissionGrader>();
        builder.Services.AddTransient<GradeSubmissionJob>();
        builder.Services.AddSingleton<SubmissionNotifications>();
        if (roles.IsApi)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SubmissionNotifications>());
        }

        builder.Services.AddSingleton<ISchemaInstaller, HangfireSchemaInstaller>();
        builder.Services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(new DataSourceConnections(sp.GetRequiredService<NpgsqlDataSource>()), new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchema,
            // The migrations install the schema; a node only uses it.
            PrepareSchemaIfNecessary = false,
            EnableLongPolling = true,
            QueuePollInterval = queue.PollInterval,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = queue.InvisibilityTimeout,
            // Our transactions are our own; Hangfire's writes never join them.
            EnableTransactionScopeEnlistment = false,
            JobExpirationCheckInterval = TimeSpan.FromMinutes(30),
        }));
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        // Hangfire's default culture filter stores two job parameters per job and reads both back
        // (one statement each) before every run, to restore the enqueuing thread's culture. Our jobs
        // carry only ids and format invariantly, so it is removed (process-wide, as filters are).
        GlobalJobFilters.Filters.Remove(typeof(CaptureCultureAttribute));
        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (roles.IsWorker)
        {
            builder.Services.AddHostedService<WarmGradingEngine>();
            builder.Services.AddHangfireServer(o =>
            {
                o.ServerName = queue.WorkerName();
                o.WorkerCount = grading.RunnerPoolSize;
                // Validations first: one holds an instructor's publish, and they are few.
                o.Queues = [Assignments.ValidationQueue.QueueName, SubmissionQueue.QueueName];
                // Retries wait in the scheduled set; pick them up within a second of being due.
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.HeartbeatInterval = TimeSpan.FromSeconds(10);
                o.ServerCheckInterval = TimeSpan.FromSeconds(30);
                o.ServerTimeout = TimeSpan.FromMinutes(1);
                // On shutdown, a grade in progress (well under a few seconds) is let finish first.
                o.StopTimeout = TimeSpan.FromSeconds(10);
                o.ShutdownTimeout = TimeSpan.FromSeconds(15);
            });
            builder.Services.AddHostedService<QueueSweeper>();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder app)
    {
        SubmissionEndpoints.MapStudentSubmissions(app);
        RegradeEndpoints.MapRegrades(app);
        RegradeEndpoints.MapRegradePages(app);
        QueueDashboard.Map(app);
        return app;
    }

    private sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    private sealed class HangfireSchemaInstaller : ISchemaInstaller
    {
        public string Name => HangfireSchema;

        // Hangfire.PostgreSql's own versioned scripts; it records the version it reached in its schema.
        // Then the queue table is re-analysed after every 1,000 changes instead of 10 % of its rows:
        // in a deadline rush the queue grows faster than the default re-analyses it, and with stale
        // statistics the planner sorts the whole queue on every fetch (deploy/capacity.md).
        public async Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
            await using var analyse = new NpgsqlCommand(
                $"ALTER TABLE {HangfireSchema}.jobqueue SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000)", connection);
            await analyse.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
