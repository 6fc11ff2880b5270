using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Grader.Api.Web;

// The pages are Razor components rendered on the server with no interactivity: plain HTML forms,
// one small script of our own for live status and line numbers, and nothing inline.
public static class WebExtensions
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "grader_antiforgery";
            o.FormFieldName = "__antiforgery";
        });
        // Every node signs and reads cookies with the same key ring, kept in PostgreSQL.
        builder.Services.AddDataProtection().SetApplicationName("grader");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyStore(sp.GetRequiredService<NpgsqlDataSource>())));
        builder.Services.AddSingleton<StatementHtml>();
        return builder;
    }

    public static WebApplication UseWebBasics(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Sign-in links carry their token in the path: never send it on to another site.
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next(context);
        });
        app.UseStaticFiles();
        return app;
    }

    public static IEndpointRouteBuilder MapWeb(this IEndpointRouteBuilder app)
    {
        app.MapRazorComponents<App>();
        return app;
    }
}
