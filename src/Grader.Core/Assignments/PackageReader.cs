using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grader.Core.Grading.Comparators;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grader.Core.Assignments;

/// <summary>Reads and checks a package, collecting every problem with its file and field.</summary>
internal static partial class PackageReader
{
    public const string ManifestFile = "assignment.json";

    /// <summary>Optional: functions that cases pass to a submission with <c>{"$function": name}</c>.</summary>
    public const string HelpersFile = "helpers.csx";

    private static readonly JsonSerializerOptions ManifestOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^//\s*expect-(score|message)\s*:\s*(.+?)\s*$")]
    private static partial Regex ExpectLine();

    // The bounds of the columns that keep them (assignments.title, assignment_versions.statement…).
    public const int MaxTitleChars = 200;
    public const int MaxTextChars = 1 << 20;

    public static PackageLoadResult Read(IReadOnlyDictionary<string, byte[]> files)
    {
        var problems = new List<PackageProblem>();
        if (files.Values.Sum(f => (long)f.Length) > AssignmentPackage.MaxPackageBytes)
        {
            return Fail(new PackageProblem("(package)", "", $"the package is larger than {AssignmentPackage.MaxPackageBytes >> 20} MiB"));
        }
        foreach (var path in files.Keys)
        {
            if (path.StartsWith('/') || path.Split('/').Contains(".."))
            {
                return Fail(new PackageProblem(path, "", "file paths must be relative and stay inside the package"));
            }
        }
        string? Text(string file, bool required)
        {
            if (!files.TryGetValue(file, out var bytes))
            {
                if (required)
                {
                    problems.Add(new PackageProblem(file, "", "missing: every package needs assignment.json, README.md, starter.csx and reference.csx"));
                }
                return null;
            }
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                problems.Add(new PackageProblem(file, "", "not valid UTF-8 text"));
                return null;
            }
            // The service stores these texts in PostgreSQL, which cannot hold NUL.
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add(new PackageProblem(file, "", "contains NUL characters: save it as plain UTF-8 text"));
                return null;
            }
            if (text.Length > MaxTextChars)
            {
                problems.Add(new PackageProblem(file, "", $"longer than {MaxTextChars} characters"));
                return null;
            }
            return text;
        }
        var manifestText = Text(ManifestFile, true);
        var statement = Text("README.md", true);
        var starter = Text("starter.csx", true);
        var reference = Text("reference.csx", true);
        var helpers = Text(HelpersFile, false);
        if (helpers is not null && HelpersProblem(helpers) is { } helpersProblem)
        {
            problems.Add(helpersProblem);
        }
        AssignmentManifest? manifest = null;
        if (manifestText is not null && ManifestTextProblem(manifestText) is { } textProblem)
        {
            problems.Add(textProblem);
        }
        else if (manifestText is not null)
        {
            try
            {
                manifest = JsonSerializer.Deserialize<AssignmentManifest>(manifestText, ManifestOptions);
                if (manifest is null)
                {
                    problems.Add(new PackageProblem(ManifestFile, "", "the manifest is empty"));
                }
            }
            catch (JsonException e)
            {
                var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
                var reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
                problems.Add(new PackageProblem(ManifestFile, e.Path ?? "", reason + where));
            }
        }
        var mistakes = new List<MistakeSpec>();
        foreach (var path in files.Keys.Where(p => p.StartsWith("mistakes/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (!path.EndsWith(".csx", StringComparison.Ordinal))
            {
                problems.Add(new PackageProblem(path, "", "only .csx files belong in mistakes/"));
                continue;
            }
            if (Text(path, true) is { } source && ReadMistake(path, source, problems) is { } mistake)
            {
                mistakes.Add(mistake);
            }
        }
        var resolved = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        if (manifest is not null)
        {
            CheckManifest(manifest, files, problems, resolved);
        }
        if (problems.Count > 0 || manifest is null)
        {
            return new PackageLoadResult(null, problems);
        }
        var package = new AssignmentPackage
        {
            Manifest = manifest,
            Statement = statement!,
            Starter = starter!,
            Reference = reference!,
            Helpers = helpers,
            Mistakes = mistakes,
            Files = files,
            ContentHash = Hash(files),
            ResolvedArgs = resolved,
        };
        return new PackageLoadResult(package, []);
    }

    private static PackageLoadResult Fail(PackageProblem problem) => new(null, [problem]);

    // The helpers are loaded before every submission, inside its time budget: declarations only,
    // so loading them costs nothing and prints nothing.
    private static PackageProblem? HelpersProblem(string source)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source, Grading.ScriptCompiler.ParseOptions).GetRoot();
        var statement = root.Members.OfType<GlobalStatementSyntax>().FirstOrDefault();
        if (statement is null)
        {
            return null;
        }
        var line = statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        return new PackageProblem(HelpersFile, $"line {line}", "only declarations (methods, records, classes) belong in the helpers; move the statement into a method");
    }

    private static MistakeSpec? ReadMistake(string path, string source, List<PackageProblem> problems)
    {
        double? score = null;
        var messages = new List<string>();
        foreach (var line in source.Split('\n').Select(l => l.Trim()).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)))
        {
            var match = ExpectLine().Match(line);
            if (!match.Success)
            {
                continue;
            }
            if (match.Groups[1].Value == "score")
            {
                if (double.TryParse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
                {
                    score = s;
                }
                else
                {
                    problems.Add(new PackageProblem(path, "expect-score", $"'{match.Groups[2].Value}' is not a number"));
                    return null;
                }
            }
            else
            {
                messages.Add(match.Groups[2].Value);
            }
        }
        if (score is null)
        {
            problems.Add(new PackageProblem(path, "expect-score", "a mistake must declare the score it gets in a leading comment: // expect-score: 70"));
            return null;
        }
        return new MistakeSpec(path, source, score.Value, messages);
    }

    // JSON escapes can spell text the service cannot store: \u0000 (JSONB refuses it) or a lone
    // surrogate (no text at all). Found before deserialising, with the path where it is.
    private static PackageProblem? ManifestTextProblem(string manifestText)
    {
        try
        {
            using var document = JsonDocument.Parse(manifestText, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Walk(document.RootElement, "");
        }
        catch (JsonException)
        {
            // The deserialiser reports malformed JSON with its position.
            return null;
        }
        catch (InvalidOperationException)
        {
            return new PackageProblem(ManifestFile, "", "not valid Unicode text: it escapes a lone surrogate (such as \\ud800)");
        }

        static PackageProblem? Walk(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                        if (HasNul(property.Name))
                        {
                            return new PackageProblem(ManifestFile, at, "a property name contains NUL (\\u0000)");
                        }
                        if (Walk(property.Value, at) is { } problem)
                        {
                            return problem;
                        }
                    }
                    return null;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (Walk(item, $"{path}[{i++}]") is { } problem)
                        {
                            return problem;
                        }
                    }
                    return null;
                case JsonValueKind.String when HasNul(element.GetString()):
                    return new PackageProblem(ManifestFile, path, "contains NUL (\\u0000): use plain text");
                default:
                    return null;
            }
        }

        static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
    }

    private static void CheckManifest(AssignmentManifest m, IReadOnlyDictionary<string, byte[]> files, List<PackageProblem> problems, Dictionary<string, JsonArray> resolved)
    {
        void Problem(string field, string reason) => problems.Add(new PackageProblem(ManifestFile, field, reason));

        if (!IdPattern().IsMatch(m.Id ?? ""))
        {
            Problem("id", "use 2–64 lowercase letters, digits and dashes, starting with a letter or digit");
        }
        if (string.IsNullOrWhiteSpace(m.Title))
        {
            Problem("title", "must not be empty");
        }
        else if (m.Title.Length > MaxTitleChars || m.Title.Any(char.IsControl))
        {
            Problem("title", $"one line of at most {MaxTitleChars} characters");
        }
        var limits = m.Limits;
        if (limits.CaseWallMs is < 50 or > 60_000) Problem("limits.caseWallMs", "must be between 50 and 60000");
        if (limits.SubmissionWallMs < limits.CaseWallMs || limits.SubmissionWallMs > 600_000) Problem("limits.submissionWallMs", "must be at least caseWallMs and at most 600000");
        if (limits.MemoryMb is < 64 or > 4096) Problem("limits.memoryMb", "must be between 64 and 4096");
        if (limits.OutputKb is < 1 or > 1024) Problem("limits.outputKb", "must be between 1 and 1024");
        if (m.Exercises.Count == 0)
        {
            Problem("exercises", "list at least one exercise");
        }
        var exerciseIds = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < m.Exercises.Count; i++)
        {
            var e = m.Exercises[i];
            if (string.IsNullOrWhiteSpace(e.Id) || !exerciseIds.Add(e.Id)) Problem($"exercises[{i}].id", "must be present and unique");
            if (string.IsNullOrWhiteSpace(e.Title)) Problem($"exercises[{i}].title", "must not be empty");
            if (!(e.Points >= 0) || e.Points > 10_000) Problem($"exercises[{i}].points", "must be between 0 and 10000");
        }
        var fixtures = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in m.Fixtures)
        {
            if (Resolve(value, files, fixtures: null, $"fixtures.{name}", problems) is var (ok, node) && ok)
            {
                fixtures[name] = node;
            }
        }
        if (m.Cases.Count == 0)
        {
            Problem("cases", "list at least one case");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var exercisesWithCases = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < m.Cases.Count; i++)
        {
            var c = m.Cases[i];
            var at = $"cases[{i}]";
            if (string.IsNullOrWhiteSpace(c.Name) || !names.Add(c.Name)) Problem($"{at}.name", $"must be present and unique ('{c.Name}')");
            if (!exerciseIds.Contains(c.Exercise ?? "")) Problem($"{at}.exercise", $"'{c.Exercise}' is not one of the exercises ({string.Join(", ", exerciseIds)})");
            else exercisesWithCases.Add(c.Exercise!);
            if (!IdentifierPattern().IsMatch(c.Function ?? "")) Problem($"{at}.function", "must be a C# method name");
            if (!(c.Weight > 0) || c.Weight > 1000) Problem($"{at}.weight", "must be greater than 0 and at most 1000");
            if (c.WallMs is { } wallMs && (wallMs < 50 || wallMs > 60_000 || wallMs > limits.SubmissionWallMs))
            {
                Problem($"{at}.wallMs", "must be between 50 and 60000 and at most limits.submissionWallMs");
            }
            foreach (var reason in CaseComparators.Validate(c.Comparator))
            {
                Problem($"{at}.comparator", reason);
            }
            var args = new JsonArray();
            for (int a = 0; a < c.Args.Count; a++)
            {
                var (ok, node) = Resolve(c.Args[a], files, fixtures, $"{at}.args[{a}]", problems);
                args.Add(ok ? node : null);
            }
            if (!string.IsNullOrEmpty(c.Name))
            {
                resolved[c.Name] = args;
            }
        }
        foreach (var e in m.Exercises.Where(e => !exercisesWithCases.Contains(e.Id) && e.Points > 0))
        {
            Problem("exercises", $"exercise '{e.Id}' has points but no cases");
        }
    }

    /// <summary>Replaces <c>$fixture</c>, <c>$csv</c> and <c>$json</c> references with the values they name.</summary>
    private static (bool Ok, JsonNode? Node) Resolve(JsonNode? node, IReadOnlyDictionary<string, byte[]> files,
        Dictionary<string, JsonNode?>? fixtures, string field, List<PackageProblem> problems)
    {
        void Problem(string reason) => problems.Add(new PackageProblem(ManifestFile, field, reason));

        switch (node)
        {
            case JsonObject obj when obj.ContainsKey("$function"):
                // Resolved in the runner, against the helpers and then the submission's own functions.
                if (obj.Count != 1 || obj["$function"] is not JsonValue function || !function.TryGetValue(out string? functionName)
                    || !IdentifierPattern().IsMatch(functionName))
                {
                    Problem("write a function argument as {\"$function\": \"Name\"}, with the name of a C# method of helpers.csx or of the submission");
                    return (false, null);
                }
                return (true, obj.DeepClone());
            case JsonObject obj when obj.ContainsKey("$fixture"):
                var name = obj["$fixture"]?.GetValue<string>() ?? "";
                if (fixtures is null)
                {
                    Problem("a fixture cannot refer to another fixture");
                    return (false, null);
                }
                if (!fixtures.TryGetValue(name, out var value))
                {
                    Problem($"unknown fixture '{name}'");
                    return (false, null);
                }
                return (true, value?.DeepClone());
            case JsonObject obj when obj.ContainsKey("$csv"):
                return ReadCsv(obj, files, Problem);
            case JsonObject obj when obj.ContainsKey("$json"):
                var file = obj["$json"]?.GetValue<string>() ?? "";
                if (!files.TryGetValue(file, out var bytes))
                {
                    Problem($"data file '{file}' is not in the package");
                    return (false, null);
                }
                try
                {
                    var root = JsonNode.Parse(bytes);
                    var pointer = obj["pointer"]?.GetValue<string>() ?? "";
                    foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
                    {
                        root = root switch
                        {
                            JsonObject o => o[part],
                            JsonArray a when int.TryParse(part, CultureInfo.InvariantCulture, out var index) && index < a.Count => a[index],
                            _ => throw new KeyNotFoundException(part),
                        };
                    }
                    return (true, root?.DeepClone());
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException)
                {
                    Problem($"cannot read '{file}' at '{obj["pointer"]}': {e.Message}");
                    return (false, null);
                }
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var (ok, inner) = Resolve(child, files, fixtures, $"{field}.{key}", problems);
                    if (!ok) return (false, null);
                    copy[key] = inner;
                }
                return (true, copy);
            case JsonArray array:
                var items = new JsonArray();
                for (int i = 0; i < array.Count; i++)
                {
                    var (ok, inner) = Resolve(array[i], files, fixtures, $"{field}[{i}]", problems);
                    if (!ok) return (false, null);
                    items.Add(inner);
                }
                return (true, items);
            default:
                return (true, node?.DeepClone());
        }
    }

    private static (bool, JsonNode?) ReadCsv(JsonObject spec, IReadOnlyDictionary<string, byte[]> files, Action<string> problem)
    {
        var file = spec["$csv"]?.GetValue<string>() ?? "";
        if (!files.TryGetValue(file, out var bytes))
        {
            problem($"data file '{file}' is not in the package");
            return (false, null);
        }
        var lines = Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
        {
            problem($"'{file}' is empty");
            return (false, null);
        }
        var header = lines[0].Split(',');
        int[] columns;
        if (spec["columns"] is JsonArray wanted)
        {
            columns = new int[wanted.Count];
            for (int i = 0; i < wanted.Count; i++)
            {
                var name = wanted[i]?.GetValue<string>();
                columns[i] = Array.IndexOf(header, name);
                if (columns[i] < 0)
                {
                    problem($"'{file}' has no column '{name}' (it has {string.Join(", ", header)})");
                    return (false, null);
                }
            }
        }
        else
        {
            columns = [.. Enumerable.Range(0, header.Length)];
        }
        var rows = new List<JsonNode?[]>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length != header.Length)
            {
                problem($"'{file}' has a row with {cells.Length} cells where the header has {header.Length}");
                return (false, null);
            }
            rows.Add([.. columns.Select(c => double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d) : (JsonNode)JsonValue.Create(cells[c]))]);
        }
        if (spec["column"] is JsonValue only && only.TryGetValue(out string? columnName))
        {
            // One column as a flat array, for double[] / Vector<double> parameters.
            int index = Array.IndexOf(header, columnName);
            if (index < 0)
            {
                problem($"'{file}' has no column '{columnName}' (it has {string.Join(", ", header)})");
                return (false, null);
            }
            var flat = new JsonArray();
            foreach (var line in lines.Skip(1))
            {
                var cell = line.Split(',')[index];
                flat.Add(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : (JsonNode)JsonValue.Create(cell));
            }
            return (true, flat);
        }
        bool transpose = spec["transpose"] is JsonValue t && t.TryGetValue(out bool tb) && tb;
        var result = new JsonArray();
        if (transpose)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                result.Add(new JsonArray([.. rows.Select(r => r[c]?.DeepClone())]));
            }
        }
        else
        {
            foreach (var row in rows)
            {
                result.Add(new JsonArray([.. row.Select(x => x?.DeepClone())]));
            }
        }
        return (true, result);
    }

    private static string Hash(IReadOnlyDictionary<string, byte[]> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(path));
            sha.AppendData([0]);
            sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
            sha.AppendData(bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
