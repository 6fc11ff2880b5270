using Grader.Api.Hosting;
using Grader.Api.Lms;

namespace Grader.Api.Webhooks;

public static class WebhookExtensions
{
    /// <summary>Outbound webhooks (delivered by worker nodes) and inbound LMS submissions.</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SecretBox>();
        builder.Services.AddSingleton<DestinationGuard>();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddSingleton<LmsIntegrationStore>();
        if (GraderOptions.From(builder.Configuration).IsWorker)
        {
            builder.Services.AddHostedService<WebhookDispatcher>();
        }
        return builder;
    }
}
