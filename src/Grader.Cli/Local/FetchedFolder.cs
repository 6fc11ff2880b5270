using System.Text.Json;
using Grader.Core.Assignments;

namespace Grader.Cli.Local;

/// <summary>
/// What `grader fetch` writes into an assignment's folder: the statement, the starter, a solution
/// to edit, and the visible cases with their expected outcomes, which `grader test` grades against.
/// </summary>
internal static class FetchedFolder
{
    public const string SolutionFile = "solution.csx";
    public const string CasesFile = "visible-cases.json";

    public static VisiblePart Read(DirectoryInfo folder)
    {
        var path = Path.Combine(folder.FullName, CasesFile);
        if (!File.Exists(path))
        {
            throw new CliException($"{path} is missing: run `grader fetch <assignment-id>` and test the solution in the folder it writes.");
        }
        VisiblePart? part;
        try
        {
            part = JsonSerializer.Deserialize<VisiblePart>(File.ReadAllText(path), Terminal.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not valid ({e.Message}); run `grader fetch` again.");
        }
        var problems = part?.Problems() ?? ["it is empty"];
        return problems.Count == 0 ? part! : throw new CliException($"{path} is not valid ({string.Join("; ", problems)}); run `grader fetch` again.");
    }

    /// <summary>Writes the part into the folder; a solution already there is the student's work and is kept.</summary>
    public static IReadOnlyList<string> Write(DirectoryInfo folder, VisiblePart part)
    {
        folder.Create();
        var written = new List<string>();
        void Put(string name, string text)
        {
            File.WriteAllText(Path.Combine(folder.FullName, name), text);
            written.Add(name);
        }
        Put("README.md", part.Statement);
        Put("starter.csx", part.Starter);
        if (part.Helpers is { } helpers)
        {
            // To read: the functions cases pass to the solution. The local grade takes them from the cases file.
            Put("helpers.csx", helpers);
        }
        if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
        {
            written.Add($"{SolutionFile} (kept: it was already there)");
        }
        else
        {
            Put(SolutionFile, part.Starter);
        }
        Put(CasesFile, JsonSerializer.Serialize(part, Terminal.JsonOptions));
        return written;
    }
}
