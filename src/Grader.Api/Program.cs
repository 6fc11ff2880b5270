using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Database;
using Grader.Api.Hosting;
using Grader.Api.Lms;
using Grader.Api.Observability;
using Grader.Api.Submissions;
using Grader.Api.Users;
using Grader.Api.Web;
using Grader.Api.Webhooks;

var builder = WebApplication.CreateBuilder(args);
var roles = GraderOptions.From(builder.Configuration);

builder.AddGraderLogging();
builder.AddErrorHandling();
try
{
    builder.AddDatabase();
}
catch (PostgresNotFoundException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
builder.AddAuth();
builder.AddGraderRateLimits();
builder.AddUsers();
builder.AddAssignments();
builder.AddSubmissions();
builder.AddWebhooks();
builder.AddWeb();
builder.AddBootstrap();
builder.AddGraderHealthChecks();
builder.Services.AddOpenApi();
builder.Services.AddSingleton(TimeProvider.System);

await using var app = builder.Build();

if (args is ["migrate", ..])
{
    await app.MigrateAsync();
    return 0;
}

app.UseRequestLogging();
app.UseErrorHandling();
app.UseWebBasics();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseRateLimiter();

app.MapOpenApi();
app.MapGraderHealthChecks();
if (roles.IsApi)
{
    app.MapUsers();
    app.MapAssignments();
    app.MapSubmissions();
    app.MapInstructor();
    app.MapWebhooks();
    app.MapLms();
    app.MapWeb();
}

await app.RunAsync();
return 0;

public partial class Program;
