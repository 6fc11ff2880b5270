using Grader.Api.Assignments;
using Grader.Api.Auth;
using Grader.Api.Database;
using Grader.Api.Grades;
using Grader.Api.Hosting;
using Grader.Api.Lms;
using Grader.Api.Lti;
using Grader.Api.Observability;
using Grader.Api.Submissions;
using Grader.Api.Users;
using Grader.Api.Web;
using Grader.Api.Webhooks;
using Microsoft.Extensions.Options;

Logging.StartBootstrapLogger();
var builder = WebApplication.CreateBuilder(args);
GraderOptions roles;
try
{
    builder.AddObservability();
    // The database first: its migrations are the first hosted service to start.
    builder.AddDatabase();
    builder.AddHosting();
    builder.AddAuth();
    builder.AddUsers();
    builder.AddAssignments();
    builder.AddSubmissions();
    builder.AddGrades();
    builder.AddWebhooks();
    builder.AddLms();
    builder.AddLti();
    builder.AddWeb();
    roles = builder.AddValidatedOptions<GraderOptions>("Grader");
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync(ValidatedOptions.Describe(e));
    return 2;
}
catch (PostgresNotFoundException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

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

app.MapHosting();
app.MapObservability();
if (roles.IsApi)
{
    var features = app.MapGroup("").WithClientInputChecks();
    features.MapUsers();
    features.MapAssignments();
    features.MapSubmissions();
    features.MapGrades();
    features.MapWebhooks();
    features.MapLms();
    features.MapLti();
    app.MapWeb();
}

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A hosted service that fails to start (the database unreachable, a migration refused) ends here.
    Serilog.Log.Fatal(e, "Grader stopped: {Reason}", e.Message);
    return 1;
}
finally
{
    await Serilog.Log.CloseAndFlushAsync();
}

public partial class Program;
