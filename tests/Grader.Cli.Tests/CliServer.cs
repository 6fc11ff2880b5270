using Grader.Api.Tests.Infrastructure;

namespace Grader.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>A node with both roles on a loopback port, with the api-sums package published.</summary>
public sealed class CliServer : WorkerApp
{
    public const string AssignmentId = "api-sums";

    public string BaseUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BaseUrl = ListenOnLoopback();
        var (instructor, _, _) = await CreateUserAsync(Grader.Api.Auth.Roles.Instructor);
        await instructor.UploadAndPublishAsync(TestPackages.Zip(TestPackages.Files(AssignmentId)));
    }
}
