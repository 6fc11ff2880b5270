using System.Text;
using Grader.Core.Assignments;

namespace Grader.Core.Tests.Assignments;

public sealed class PackageReaderTests
{
    private const string Manifest = """
        {
          "id": "demo-pkg",
          "title": "Demo",
          "exercises": [ { "id": "ex1", "title": "Twice", "signatures": ["double Twice(double x)"], "points": 10 } ],
          "fixtures": { "X": { "$csv": "data/points.csv", "columns": ["x", "y"], "transpose": true }, "ys": { "$csv": "data/points.csv", "column": "y" } },
          "cases": [
            { "name": "twice", "exercise": "ex1", "function": "Twice", "args": [2] },
            { "name": "data", "exercise": "ex1", "function": "Twice", "args": [{ "$fixture": "X" }], "visibility": "hidden" },
            { "name": "column", "exercise": "ex1", "function": "Twice", "args": [{ "$fixture": "ys" }] }
          ]
        }
        """;

    private static Dictionary<string, byte[]> Files(string manifest = Manifest, params (string Path, string Text)[] extra)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["assignment.json"] = Encoding.UTF8.GetBytes(manifest),
            ["README.md"] = "# Demo"u8.ToArray(),
            ["starter.csx"] = "double Twice(double x) => throw new NotImplementedException();"u8.ToArray(),
            ["reference.csx"] = "double Twice(double x) => 2 * x;"u8.ToArray(),
            ["data/points.csv"] = "x,y,label\n1,2,a\n3,4.5,b\n"u8.ToArray(),
        };
        foreach (var (path, text) in extra)
        {
            files[path] = Encoding.UTF8.GetBytes(text);
        }
        return files;
    }

    [Fact]
    public void A_valid_package_loads_with_its_data_files_resolved()
    {
        var result = AssignmentPackage.LoadFromFiles(Files());

        Assert.Empty(result.Problems);
        var package = Assert.IsType<AssignmentPackage>(result.Package);
        Assert.Equal("demo-pkg", package.Id);
        Assert.Equal("[[[1,3],[2,4.5]]]", package.ResolvedArgs["data"].ToJsonString());
        Assert.Equal("[[2,4.5]]", package.ResolvedArgs["column"].ToJsonString());
        Assert.Equal(CaseVisibility.Hidden, package.Manifest.Cases[1].Visibility);
    }

    [Theory]
    [InlineData("a NUL escape in a case name", "\"name\": \"twice\"", "\"name\": \"tw\\u0000ice\"", "cases[0].name")]
    [InlineData("a NUL escape in a property name", "\"fixtures\"", "\"fix\\u0000\"", "fix")]
    [InlineData("a lone surrogate escape", "\"title\": \"Demo\"", "\"title\": \"\\ud800\"", "surrogate")]
    [InlineData("a title longer than its column", "\"title\": \"Demo\"", "\"title\": \"{201 characters}\"", "title")]
    [InlineData("a title on two lines", "\"title\": \"Demo\"", "\"title\": \"De\\nmo\"", "title")]
    public void A_manifest_with_text_the_service_cannot_store_is_a_problem(string label, string find, string replace, string where)
    {
        var text = replace.Replace("{201 characters}", new string('t', 201), StringComparison.Ordinal);
        var result = AssignmentPackage.LoadFromFiles(Files(Manifest.Replace(find, text, StringComparison.Ordinal)));

        Assert.Null(result.Package);
        Assert.True(result.Problems.Any(p => $"{p.Field} {p.Reason}".Contains(where, StringComparison.Ordinal)), $"{label}: {string.Join("; ", result.Problems)}");
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("starter.csx")]
    public void A_text_file_with_NUL_is_a_problem(string file)
    {
        var result = AssignmentPackage.LoadFromFiles(Files(Manifest, (file, "text\0more")));

        Assert.Null(result.Package);
        Assert.Contains(result.Problems, p => p.File == file && p.Reason.Contains("NUL", StringComparison.Ordinal));
    }

    [Fact]
    public void The_content_hash_changes_with_any_file()
    {
        var a = AssignmentPackage.LoadFromFiles(Files()).Package!;
        var b = AssignmentPackage.LoadFromFiles(Files(Manifest, ("README.md", "# Demo, edited"))).Package!;

        Assert.NotEqual(a.ContentHash, b.ContentHash);
        Assert.Equal(a.ContentHash, AssignmentPackage.LoadFromFiles(Files()).Package!.ContentHash);
    }

    [Fact]
    public void A_misspelt_field_is_reported_with_its_path()
    {
        var result = AssignmentPackage.LoadFromFiles(Files(Manifest.Replace("\"weight\"", "\"wieght\"", StringComparison.Ordinal).Replace("\"args\": [2]", "\"args\": [2], \"wieght\": 2", StringComparison.Ordinal)));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("assignment.json", problem.File);
        Assert.Contains("wieght", problem.ToString(), StringComparison.Ordinal);
        Assert.Null(result.Package);
    }

    [Fact]
    public void Broken_json_is_reported_with_line_and_position()
    {
        var result = AssignmentPackage.LoadFromFiles(Files("{ \"id\": \"demo-pkg\",\n  \"title\": }"));

        var problem = Assert.Single(result.Problems);
        Assert.Contains("line 2", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Semantic_problems_name_the_field_and_what_to_fix()
    {
        var manifest = Manifest
            .Replace("\"exercise\": \"ex1\", \"function\": \"Twice\", \"args\": [2]", "\"exercise\": \"ex9\", \"function\": \"Twi ce\", \"args\": [2], \"comparator\": { \"kind\": \"nope\" }", StringComparison.Ordinal)
            .Replace("{ \"$fixture\": \"X\" }", "{ \"$fixture\": \"Y\" }", StringComparison.Ordinal);

        var problems = AssignmentPackage.LoadFromFiles(Files(manifest)).Problems.Select(p => p.ToString()).ToList();

        Assert.Contains(problems, p => p.StartsWith("assignment.json: cases[0].exercise: 'ex9' is not one of the exercises", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("assignment.json: cases[0].function:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("assignment.json: cases[0].comparator: kind: unknown comparator kind \"nope\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p == "assignment.json: cases[1].args[0]: unknown fixture 'Y'");
    }

    [Fact]
    public void A_comparator_without_a_kind_is_close_with_its_parameters()
    {
        var manifest = Manifest.Replace("\"args\": [2] }", "\"args\": [2], \"comparator\": { \"rtol\": 0.1 } }", StringComparison.Ordinal);

        var result = AssignmentPackage.LoadFromFiles(Files(manifest));

        Assert.Empty(result.Problems);
        Assert.Equal(0.1, result.Package!.Manifest.Cases[0].Comparator!["rtol"]!.GetValue<double>());
        var typo = AssignmentPackage.LoadFromFiles(Files(Manifest.Replace("\"args\": [2] }", "\"args\": [2], \"comparator\": { \"rtoll\": 0.1 } }", StringComparison.Ordinal)));
        Assert.Contains(typo.Problems, p => p.Field == "cases[0].comparator" && p.Reason.Contains("rtoll", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_files_and_invalid_utf8_are_reported()
    {
        var files = Files();
        files.Remove("starter.csx");
        files["reference.csx"] = [0xC3, 0x28];

        var problems = AssignmentPackage.LoadFromFiles(files).Problems;

        Assert.Contains(problems, p => p.File == "starter.csx" && p.Reason.StartsWith("missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.File == "reference.csx" && p.Reason == "not valid UTF-8 text");
    }

    [Fact]
    public void Paths_that_leave_the_package_are_refused()
    {
        var problems = AssignmentPackage.LoadFromFiles(Files(Manifest, ("../outside.csx", "x"))).Problems;

        Assert.Contains(problems, p => p.Reason.Contains("inside the package", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mistake_must_declare_its_score()
    {
        var result = AssignmentPackage.LoadFromFiles(Files(Manifest,
            ("mistakes/ok.csx", "// expect-score: 5\n// expect-message: double it\ndouble Twice(double x) => x;"),
            ("mistakes/bad.csx", "double Twice(double x) => x;")));

        Assert.Contains(result.Problems, p => p.File == "mistakes/bad.csx" && p.Field == "expect-score");
        var fixedUp = AssignmentPackage.LoadFromFiles(Files(Manifest, ("mistakes/ok.csx", "// expect-score: 5\n// expect-message: double it\ndouble Twice(double x) => x;")));
        var mistake = Assert.Single(fixedUp.Package!.Mistakes);
        Assert.Equal(5, mistake.ExpectedScore);
        Assert.Equal(["double it"], mistake.ExpectedMessages);
    }
}

public sealed class PackageFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grader-package-").FullName;

    [Fact]
    public void A_package_folder_must_be_named_after_its_id()
    {
        var source = Path.Combine(EngineFixture.AssignmentsDirectory, "dlai-c1w2-linear-systems");
        var copy = Path.Combine(_root, "some-other-name");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var result = AssignmentPackage.Load(copy);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("id", problem.Field);
        Assert.Contains("some-other-name", problem.Reason, StringComparison.Ordinal);
        Assert.NotNull(AssignmentPackage.Load(source).Package);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
