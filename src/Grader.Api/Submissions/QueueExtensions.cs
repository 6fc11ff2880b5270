using Grader.Api.Hosting;
using Grader.Api.Observability;
using Npgsql;
using Quartz;

namespace Grader.Api.Submissions;

public static class QueueExtensions
{
    /// <summary>
    /// Quartz on the clustered ADO.NET store in our PostgreSQL (tables from our migrations).
    /// Every node can schedule; only worker nodes start the scheduler and so run jobs, at most
    /// as many at once as the runner pool has runners.
    /// </summary>
    public static IHostApplicationBuilder AddSubmissions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueueOptions>().BindConfiguration("Queue").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<GradingOptions>().BindConfiguration("Grading").ValidateDataAnnotations().ValidateOnStart();
        var roles = GraderOptions.From(builder.Configuration);
        var queue = builder.Configuration.GetSection("Queue").Get<QueueOptions>() ?? new QueueOptions();
        var grading = builder.Configuration.GetSection("Grading").Get<GradingOptions>() ?? new GradingOptions();

        builder.Services.AddSingleton<SubmissionStore>();
        builder.Services.AddSingleton<SubmissionQueue>();
        builder.Services.AddSingleton<GradingEngineHost>();
        builder.Services.AddSingleton<PackageCache>();
        builder.Services.AddSingleton<SubmissionGrader>();
        builder.Services.AddSingleton<GraderMetrics>();
        builder.Services.AddTransient<GradeSubmissionJob>();
        builder.Services.AddSingleton<SubmissionNotifications>();
        if (roles.IsApi)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SubmissionNotifications>());
        }

        builder.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "grader";
                s.GenerateInstanceId = string.IsNullOrWhiteSpace(queue.InstanceId);
                if (!s.GenerateInstanceId)
                {
                    s.InstanceId = queue.InstanceId!;
                }
                s.IdleWaitTime = queue.IdleWaitTime;
                s.MaxBatchSize = grading.RunnerPoolSize;
            });
            q.UseDefaultThreadPool(t => t.MaxConcurrency = grading.RunnerPoolSize);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(ds => ds.DataSourceFactory = sp => sp.GetRequiredService<NpgsqlDataSource>());
                store.UseClustering(c =>
                {
                    c.CheckinInterval = queue.CheckinInterval;
                    c.CheckinMisfireThreshold = queue.CheckinInterval * 2;
                });
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = "qrtz_";
                    // Our migrations own the tables; Quartz only checks them.
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                    o.RecoverFiringsCancelledByShutdown = true;
                });
            });
        });

        if (roles.IsWorker)
        {
            builder.Services.AddHostedService<WarmGradingEngine>();
            builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            builder.Services.AddHostedService<QueueSweeper>();
        }
        return builder;
    }
}
