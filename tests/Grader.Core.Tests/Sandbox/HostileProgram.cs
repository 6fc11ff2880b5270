using System.Text;
using Grader.Core.Grading;

namespace Grader.Core.Tests.Sandbox;

/// <summary>What one case of a hostile program must end in: a case name, a function name or "*".</summary>
public sealed record CaseExpectation(string Selector, IReadOnlyList<CaseVerdict> Verdicts, string? ErrorType);

/// <summary>
/// A hostile submission under Sandbox/Hostile/ and the verdict its header comment declares:
/// <c>// verdict: Graded</c> (or Rejected, CompileError, "Rejected or CompileError"),
/// <c>// case: Mean Timeout</c> or <c>// case: * RuntimeError StackOverflow</c> (case name beats function beats *;
/// <c>MemoryLimit|Timeout</c> where either is right),
/// <c>// message: text</c> that a failed case's message contains,
/// <c>// diagnostic: text</c> that a diagnostic's message contains, <c>// on: text</c> naming the line it must point at,
/// <c>// needs: allowlist</c> when only the API allowlist decides it, <c>// fallback: yes</c> to run it without namespaces too.
/// </summary>
public sealed record HostileProgram
{
    public static string Directory { get; } = Path.Combine(EngineFixture.RepositoryRoot, "tests", "Grader.Core.Tests", "Sandbox", "Hostile");

    public required string Name { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<GradeStatus> Statuses { get; init; }
    public IReadOnlyList<CaseExpectation> Cases { get; init; } = [];
    public string? Message { get; init; }
    public string? Diagnostic { get; init; }
    /// <summary>1-based line the diagnostic must point at.</summary>
    public int? DiagnosticLine { get; init; }
    public bool NeedsAllowlist { get; init; }
    public bool Fallback { get; init; }

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.csx").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static HostileProgram Load(string name)
    {
        // Decoded as the service decodes uploads: invalid UTF-8 becomes U+FFFD.
        var source = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Directory, name + ".csx")));
        var lines = source.Split('\n');
        var header = lines.TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).ToList();
        string? Field(string key) => header
            .Select(l => l[2..].Trim())
            .Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(l => l[(key.Length + 1)..].Trim())
            .FirstOrDefault();
        var verdict = Field("verdict") ?? throw new InvalidOperationException($"{name}.csx declares no '// verdict:'");
        var cases = header
            .Select(l => l[2..].Trim())
            .Where(l => l.StartsWith("case:", StringComparison.Ordinal))
            .Select(l => l["case:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => new CaseExpectation(p[0], [.. p[1].Split('|').Select(Enum.Parse<CaseVerdict>)], p.Length > 2 ? p[2] : null))
            .ToList();
        int? line = null;
        if (Field("on") is { } marker)
        {
            int index = Array.FindIndex(lines, header.Count, l => l.Contains(marker, StringComparison.Ordinal));
            line = index >= 0 ? index + 1 : throw new InvalidOperationException($"{name}.csx: no line contains '{marker}'");
        }
        return new HostileProgram
        {
            Name = name,
            Source = source,
            Statuses = [.. verdict.Split(" or ").Select(Enum.Parse<GradeStatus>)],
            Cases = cases,
            Message = Field("message"),
            Diagnostic = Field("diagnostic"),
            DiagnosticLine = line,
            NeedsAllowlist = Field("needs") == "allowlist",
            Fallback = Field("fallback") == "yes",
        };
    }

    /// <summary>The expectation for a case: by its name, else its function, else "*".</summary>
    public CaseExpectation For(CaseReport report) =>
        Cases.FirstOrDefault(c => c.Selector == report.Name)
        ?? Cases.FirstOrDefault(c => c.Selector == report.Function)
        ?? Cases.FirstOrDefault(c => c.Selector == "*")
        ?? throw new InvalidOperationException($"{Name}.csx declares no '// case:' for {report.Name}");

    public override string ToString() => Name;
}
