using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Grader.Api.Tests.Infrastructure;

namespace Grader.Api.Tests.Hosting;

/// <summary>The built service started the way people start it: no configuration, or one command.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StartupTests
{
    private static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(NodeProcess.ServiceBinary())!,
        };
        start.ArgumentList.Add(NodeProcess.ServiceBinary());
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return Process.Start(start)!;
    }

    [Fact]
    public async Task With_no_configuration_the_service_starts_its_own_postgres_loads_packages_and_prints_a_key()
    {
        var data = Path.Combine(Path.GetTempPath(), $"grader-start-{Guid.NewGuid():N}");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var assignments = Path.Combine(Path.GetTempPath(), $"grader-packages-{Guid.NewGuid():N}");
        CopyDirectory(TestPackages.Directory("api-sums"), Path.Combine(assignments, "api-sums"));
        using var service = Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Grader__DataDirectory"] = data,
            ["Grader__AssignmentsDirectory"] = assignments,
            ["Grader__Roles"] = "api",
        });
        var stdout = service.StandardOutput.ReadToEndAsync();
        var stderr = service.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                if (service.HasExited)
                {
                    Assert.Fail($"The service exited: {await stderr}");
                }
                try
                {
                    if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                Assert.True(DateTime.UtcNow < deadline, "The service did not become ready.");
                await Task.Delay(250);
            }

            var keyFile = Path.Combine(data, "bootstrap-instructor.key");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(keyFile)).Trim());
            var listed = await http.GetStringAsync("/api/instructor/assignments");
            Assert.Contains("\"api-sums\"", listed, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "postgres", "postmaster.pid")));
        }
        finally
        {
            // A polite stop: the service stops its PostgreSQL on the way out.
            Process.Start("kill", ["-TERM", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        var output = await stdout;
        Assert.Contains($"Grader is listening on http://127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.Contains("API key (shown once", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "postgres", "postmaster.pid")), "PostgreSQL is still running after the service stopped.");
        Directory.Delete(data, recursive: true);
        Directory.Delete(assignments, recursive: true);
    }

    [Fact]
    public async Task Without_postgres_the_service_says_how_to_fix_it_and_exits()
    {
        using var service = Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__PostgresBinDirectory"] = "/nonexistent/postgresql/bin",
            ["Grader__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"grader-none-{Guid.NewGuid():N}"),
        });
        var stderr = await service.StandardError.ReadToEndAsync();
        await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, service.ExitCode);
        Assert.Contains("apt-get install postgresql", stderr, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Grader", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_out_of_range_is_one_clear_line_and_a_non_zero_exit()
    {
        using var service = Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["RateLimits__SubmissionsPerWindow"] = "100000",
            ["Grader__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"grader-badconfig-{Guid.NewGuid():N}"),
        });
        var stderr = await service.StandardError.ReadToEndAsync();
        await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, service.ExitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("RateLimits:SubmissionsPerWindow", line, StringComparison.Ordinal);
        Assert.Contains("between 1 and 10000", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migrate_command_applies_the_migrations_and_exits()
    {
        var connectionString = await PostgresFixture.CreateDatabaseAsync("migratecmd");
        using var service = Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Grader"] = connectionString,
        }, "migrate");
        var stdout = service.StandardOutput.ReadToEndAsync();
        await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, service.ExitCode);
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)Grader.Api.Database.Migrator.All().Count, await command.ExecuteScalarAsync());
        Assert.Contains("migrations applied", await stdout, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
