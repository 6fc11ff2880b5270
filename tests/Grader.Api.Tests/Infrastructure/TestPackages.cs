using System.Net.Http.Headers;
using Grader.Api.Assignments;

namespace Grader.Api.Tests.Infrastructure;

public static class TestPackages
{
    public static string Directory(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static Dictionary<string, byte[]> Files(string name)
    {
        var root = Directory(name);
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
