using System.Net.Http.Headers;
using Grader.Api.Assignments;

namespace Grader.Api.Tests.Infrastructure;

public static class TestPackages
{
    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    // A package of the course catalogue (assignments/ at the repository's root), as shipped.
    public static string CourseDirectory(string id)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grader.sln")))
            {
                return Path.Combine(dir.FullName, "assignments", id);
            }
        }
        throw new DirectoryNotFoundException("Grader.sln not found above the test output.");
    }

    public static Dictionary<string, byte[]> Files(string name) => FilesIn(Directory(name));

    public static Dictionary<string, byte[]> FilesIn(string root)
    {
        return System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
    }

    public static ByteArrayContent Zip(Dictionary<string, byte[]> files)
    {
        var content = new ByteArrayContent(PackageFiles.ToZip(files));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    public static string Text(string name, string file) => File.ReadAllText(Path.Combine(Directory(name), file));
}
