using Grader.Api.Hosting;

namespace Grader.Api.Webhooks;

public static class WebhookExtensions
{
    // Outbound webhooks, delivered by worker nodes.
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<WebhookOptions>("Webhooks");
        builder.Services.AddSingleton<SecretBox>();
        builder.Services.AddSingleton<DestinationGuard>();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<WebhookStore>();
        if (builder.AddValidatedOptions<GraderOptions>("Grader").IsWorker)
        {
            builder.Services.AddHostedService<WebhookDispatcher>();
        }
        return builder;
    }
}
