using System.IO.Compression;
using System.Text.Json;
using Grader.Api.Hosting;
using Grader.Core.Assignments;

namespace Grader.Api.Assignments;

// Packages as zips: what an instructor uploads and what a version stores.
public static class PackageFiles
{
    public const int MaxEntries = 500;

    public sealed class InvalidZipException(string message) : Exception(message);

    public static byte[] ToZip(IReadOnlyDictionary<string, byte[]> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    // Reads a zip's files by relative path; a single top folder holding everything is dropped.
    public static Dictionary<string, byte[]> FromZip(byte[] zipBytes)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw new InvalidZipException("The upload is not a readable zip file. Zip the package folder (assignment.json at its top) and upload that.");
        }
        using (zip)
        {
            var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (entries.Count > MaxEntries)
            {
                throw new InvalidZipException($"The zip holds {entries.Count} files; a package may hold at most {MaxEntries}.");
            }
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in entries)
            {
                var path = entry.FullName.Replace('\\', '/');
                if (PathProblem(path) is { } problem)
                {
                    throw new InvalidZipException($"The zip entry '{Printable(entry.FullName)}' {problem}");
                }
                using var content = new MemoryStream();
                try
                {
                    using var stream = entry.Open();
                    var chunk = new byte[81920];
                    int read;
                    while ((read = stream.Read(chunk)) > 0)
                    {
                        total += read;
                        if (total > AssignmentPackage.MaxPackageBytes)
                        {
                            throw new InvalidZipException($"The package unpacks to more than {AssignmentPackage.MaxPackageBytes >> 20} MiB.");
                        }
                        content.Write(chunk, 0, read);
                    }
                }
                catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
                {
                    throw new InvalidZipException($"The zip entry '{Printable(entry.FullName)}' cannot be read ({e.Message}). Zip the package again and upload the new file.");
                }
                files[path] = content.ToArray();
            }
            return WithoutTopFolder(files);
        }
    }

    // A single top folder holding everything (a zipped folder, a folder chosen in a browser) is dropped.
    public static Dictionary<string, byte[]> WithoutTopFolder(Dictionary<string, byte[]> files)
    {
        var tops = files.Keys.Select(k => k.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (tops.Count == 1 && files.Keys.All(k => k.Contains('/', StringComparison.Ordinal)))
        {
            var strip = tops[0].Length + 1;
            return files.ToDictionary(f => f.Key[strip..], f => f.Value, StringComparer.Ordinal);
        }
        return files;
    }

    // Why a file name cannot be a path inside the package (with a slash for folders), or null.
    public static string? PathProblem(string path)
    {
        if (path.Length == 0 || path.Length > 400)
        {
            return "needs a name of 1–400 characters.";
        }
        if (ClientInput.Check(path, int.MaxValue) is not null)
        {
            return "has control characters or invalid Unicode in its name; name files with plain text.";
        }
        if (path.StartsWith('/') || path.Contains(':', StringComparison.Ordinal) || path.Split('/').Contains(".."))
        {
            return "points outside the package: use relative paths without '..', drive letters or ':'.";
        }
        return null;
    }

    private static string Printable(string name) => new(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    public static PackageVersion ToVersion(this AssignmentPackage package) => new(
        package.Id,
        package.Manifest.Title,
        package.ContentHash,
        JsonSerializer.Serialize(package.Manifest, Json.Options),
        package.Statement,
        package.Starter,
        ToZip(package.Files));
}
