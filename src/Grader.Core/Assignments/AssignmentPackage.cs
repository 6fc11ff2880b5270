using System.Text.Json.Nodes;

namespace Grader.Core.Assignments;

/// <summary>A problem found in a package: which file, which field, and what is wrong.</summary>
public sealed record PackageProblem(string File, string Field, string Reason)
{
    public override string ToString() => string.IsNullOrEmpty(Field) ? $"{File}: {Reason}" : $"{File}: {Field}: {Reason}";
}

/// <summary>A recorded typical mistake: a wrong solution and what grading it must produce.</summary>
public sealed record MistakeSpec(string FileName, string Source, double ExpectedScore, IReadOnlyList<string> ExpectedMessages);

public sealed record PackageLoadResult(AssignmentPackage? Package, IReadOnlyList<PackageProblem> Problems);

/// <summary>A loaded, checked assignment package: manifest, statement, starter, reference, data, mistakes.</summary>
public sealed class AssignmentPackage
{
    /// <summary>The most a package may hold, its files added up; also the most an upload of one may be.</summary>
    public const int MaxPackageBytes = 32 << 20;

    public required AssignmentManifest Manifest { get; init; }
    public string Id => Manifest.Id;
    /// <summary>The statement (README.md), Markdown.</summary>
    public required string Statement { get; init; }
    public required string Starter { get; init; }
    public required string Reference { get; init; }
    /// <summary><c>helpers.csx</c>, if the package has one: functions cases pass as arguments.</summary>
    public string? Helpers { get; init; }
    public IReadOnlyList<MistakeSpec> Mistakes { get; init; } = [];
    /// <summary>Every file of the package by relative path (forward slashes), to store or re-load it.</summary>
    public required IReadOnlyDictionary<string, byte[]> Files { get; init; }
    /// <summary>SHA-256 over the files: a new upload with the same hash is the same version.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The case's arguments with fixtures and data files resolved to plain values.</summary>
    public required IReadOnlyDictionary<string, JsonArray> ResolvedArgs { get; init; }

    public static PackageLoadResult Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return new PackageLoadResult(null, [new PackageProblem(directory, "", "no such directory")]);
        }
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.')))
            {
                continue;
            }
            files[relative] = File.ReadAllBytes(path);
        }
        var result = LoadFromFiles(files);
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        if (result.Package is { } package && package.Id != folder)
        {
            return new PackageLoadResult(null, [new PackageProblem(PackageReader.ManifestFile, "id", $"'{package.Id}' must match the package's folder name '{folder}'")]);
        }
        return result;
    }

    /// <summary>Loads a package from its files, e.g. an uploaded zip's entries.</summary>
    public static PackageLoadResult LoadFromFiles(IReadOnlyDictionary<string, byte[]> files) => PackageReader.Read(files);
}
