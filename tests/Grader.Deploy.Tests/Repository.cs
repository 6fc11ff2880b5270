namespace Grader.Deploy.Tests;

// The checkout the tests run in: the manifests are read where operators read them, not copied.
internal static class Repository
{
    public static readonly string Root = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(System.IO.Path.Combine(Root, relativePath));

    public static string FullPath(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    public static IEnumerable<string> SourceFiles(string relativeDirectory) =>
        Directory.EnumerateFiles(FullPath(relativeDirectory), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Grader.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Grader.sln not found above " + AppContext.BaseDirectory);
    }
}
