using Grader.Api.Hosting;
using Npgsql;
using Quartz;

namespace Grader.Api.Submissions;

public static class SubmissionsExtensions
{
    // Quartz on the clustered ADO.NET store in our PostgreSQL (tables from our migrations).
    // Every node can schedule; only worker nodes start the scheduler and so run jobs, at most
    // as many at once as the runner pool has runners.
    public static IHostApplicationBuilder AddSubmissions(this IHostApplicationBuilder builder)
    {
        var roles = builder.AddValidatedOptions<GraderOptions>("Grader");
        var queue = builder.AddValidatedOptions<QueueOptions>("Queue");
        var grading = builder.AddValidatedOptions<GradingOptions>("Grading");

        builder.Services.AddSingleton<SubmissionStore>();
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

    public static IEndpointRouteBuilder MapSubmissions(this IEndpointRouteBuilder app)
    {
        SubmissionEndpoints.MapStudentSubmissions(app);
        RegradeEndpoints.MapRegrades(app);
        return app;
    }
}
