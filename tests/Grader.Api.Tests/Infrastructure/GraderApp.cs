using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Grader.Api.Assignments;
using Grader.Api.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Grader.Api.Tests.Infrastructure;

/// <summary>
/// The real service in memory (WebApplicationFactory) on a database of its own. By default an
/// API-only node: jobs are enqueued into Hangfire's tables but not run, so tests can look at the
/// queue. <see cref="WorkerApp"/> adds the worker role.
/// </summary>
public class GraderApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);

    public string ConnectionString { get; private set; } = "";
    public CapturedLogs Logs { get; } = new();
    protected virtual string Roles => "api";

    /// <summary>Adds or overrides configuration before the first client is created.</summary>
    public GraderApp With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await PostgresFixture.CreateDatabaseAsync(GetType().Name);
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Grader", ConnectionString);
        builder.UseSetting("Grader:Roles", Roles);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("RateLimits:SubmissionsPerWindow", "1000");
        builder.UseSetting("Webhooks:EncryptionKey", TestEncryptionKey);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    /// <summary>Fixed so that every node of a test shares it, as every node of a deployment must.</summary>
    public const string TestEncryptionKey = "Z3JhZGVyLXRlc3RzLXdlYmhvb2stZW5jcnlwdGlvbiE=";

    /// <summary>Serves on a loopback port (Kestrel) instead of in memory, for clients in other processes; returns the base URL.</summary>
    public string ListenOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public NpgsqlDataSource Db => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>A user with a fresh key, and a client that sends it.</summary>
    public async Task<(HttpClient Client, UserRow User, string Key)> CreateUserAsync(string role, string? externalId = null)
    {
        var users = Services.GetRequiredService<UserStore>();
        var user = await users.CreateAsync(externalId ?? $"{role}-{Guid.NewGuid():N}", "", role, CancellationToken.None)
            ?? throw new InvalidOperationException("duplicate user");
        var (_, key) = await users.CreateKeyAsync(user.Id, "test", CancellationToken.None);
        return (ClientWithKey(key), user, key);
    }

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// Stores an assignment version straight through the store (no engine needed), records it as
    /// validated and publishes it. The files are placeholders: only a worker would ever unpack them,
    /// so no validation could pass them; tests of validation upload real packages to a worker.
    /// </summary>
    public async Task<int> SeedAssignmentAsync(string id, string manifestJson, bool publish = true, string? contentHash = null)
    {
        var store = Services.GetRequiredService<AssignmentStore>();
        var saved = await store.SaveVersionAsync(new PackageVersion(
            id, $"Title of {id}", contentHash ?? Guid.NewGuid().ToString("N"), manifestJson, $"# {id}\n\nStatement.", "// starter\n",
            PackageFiles.ToZip(new Dictionary<string, byte[]> { ["assignment.json"] = System.Text.Encoding.UTF8.GetBytes(manifestJson) })),
            publish: false, CancellationToken.None);
        await PassValidationAsync(id);
        if (publish)
        {
            Assert.Equal(PublishResult.Published, (await store.PublishAsync(id, saved.Version, CancellationToken.None)).Result);
        }
        return saved.Version;
    }

    /// <summary>
    /// An API-only node runs no validation job: this records the pass a worker would, for tests of
    /// something else (the student pages, the queue) that need a real package published there.
    /// Tests of validation itself run on a worker.
    /// </summary>
    public Task PassValidationAsync(string assignmentId) => ExecuteAsync(
        "UPDATE assignment_versions SET validation_state = 'Passed', validated_at = now() WHERE assignment_id = $1 AND validation_state IN ('Pending', 'Running')",
        assignmentId);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        await command.ExecuteNonQueryAsync();
    }

    public const string SimpleManifest =
        """
        {
          "id": "ID", "title": "Linear systems", "course": "DLAI C1", "week": 2,
          "exercises": [ { "id": "ex1", "title": "Solve", "signatures": ["double[] Solve(double[,] a, double[] b)"], "points": 10 } ],
          "cases": [
            { "name": "visible-2x2", "exercise": "ex1", "function": "Solve", "args": [[[2, 0], [0, 2]], [2, 4]], "visibility": "Visible" },
            { "name": "hidden-3x3", "exercise": "ex1", "function": "Solve", "args": [[[1, 2, 3], [0, 1, 4], [5, 6, 0]], [1, 2, 3]], "visibility": "Hidden", "hint": "SECRET-HINT" },
            { "name": "after-due-4x4", "exercise": "ex1", "function": "Solve", "args": [[[4]], [8]], "visibility": "AfterDue" }
          ]
        }
        """;

    public static string Manifest(string id) => SimpleManifest.Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal);
}

public class WorkerApp : GraderApp
{
    protected override string Roles => "api,worker";
}

/// <summary>Every log event the app writes, rendered, for tests that check what is (not) logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(" ", kv.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{category} {formatter(state, exception)} {properties} {exception}");
        }
    }
}
