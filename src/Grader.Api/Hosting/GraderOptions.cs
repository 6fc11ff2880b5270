using System.ComponentModel.DataAnnotations;

namespace Grader.Api.Hosting;

// Where this node keeps its files and what it does.
public sealed class GraderOptions
{
    // "api", "worker" or "api,worker" (the default): one binary, roles from configuration.
    [Required, RegularExpression("^(api|worker)(,(api|worker))?$", ErrorMessage = "Grader:Roles must be 'api', 'worker' or 'api,worker'.")]
    public string Roles { get; set; } = "api,worker";

    // The private PostgreSQL cluster and the bootstrap key live here. Defaults to .grader/ at the repository root.
    public string? DataDirectory { get; set; }

    // Packages loaded at start when LoadAssignmentsOnStart is set. Defaults to assignments/ at the repository root.
    public string? AssignmentsDirectory { get; set; }

    public bool LoadAssignmentsOnStart { get; set; }

    // Create a first instructor and print its key when there is none.
    public bool BootstrapInstructor { get; set; }

    // A student "student-demo" and a fresh one-time sign-in link for it, printed at every start (development).
    public bool BootstrapDemoStudent { get; set; }

    // Where browsers reach this service (https://grader.example.edu), for links it hands out. Unset:
    // the address of the request that asks for the link, or the first address the server listens on.
    [Url]
    public string? PublicBaseUrl { get; set; }

    public bool IsApi => Roles.Split(',').Contains("api", StringComparer.Ordinal);
    public bool IsWorker => Roles.Split(',').Contains("worker", StringComparer.Ordinal);

    public string ResolveDataDirectory(string contentRoot) =>
        Path.GetFullPath(DataDirectory ?? Path.Combine(RepositoryRoot(contentRoot) ?? contentRoot, ".grader"));

    public string ResolveAssignmentsDirectory(string contentRoot) =>
        Path.GetFullPath(AssignmentsDirectory ?? Path.Combine(RepositoryRoot(contentRoot) ?? contentRoot, "assignments"));

    // `dotnet run --project src/Grader.Api` has the project folder as content root; the data
    // folder and the packages belong to the checkout, not to one project inside it.
    private static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grader.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
