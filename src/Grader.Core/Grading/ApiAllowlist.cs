using Microsoft.CodeAnalysis;

namespace Grader.Core.Grading;

/// <summary>
/// The APIs a submission may use, from one rules file (allowlist.txt), checked twice: a semantic
/// walk for friendly line:column messages and a scan of the emitted assembly's metadata.
/// </summary>
public sealed class ApiAllowlist
{
    private const string EmbeddedRulesName = "Grader.Core.allowlist.txt";

    private enum RuleKind
    {
        Allow,
        AllowInCompiledCodeOnly,
        Deny,
    }

    // "X" rules cover X and what is inside it; "X.*" rules only what is inside, and outrank "X".
    private readonly Dictionary<string, RuleKind> rulesOnName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuleKind> rulesInsideName = new(StringComparer.Ordinal);
    // Names with an allow rule somewhere beneath them: a type is usable if some member of it is.
    private readonly HashSet<string> partlyAllowedInSource = new(StringComparer.Ordinal);
    private readonly HashSet<string> partlyAllowedInCompiledCode = new(StringComparer.Ordinal);
    private readonly List<string> references = [];

    public static ApiAllowlist Default { get; } = FromEmbeddedRules();

    /// <summary>Reads rules in the format of allowlist.txt; a malformed line throws <see cref="FormatException"/>.</summary>
    public ApiAllowlist(string rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var lineNumber = 0;
        foreach (var rawLine in rules.Split('\n'))
        {
            lineNumber++;
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? rawLine[..hash] : rawLine).Trim();
            if (line.Length > 0)
            {
                AddRule(line, lineNumber);
            }
        }
    }

    /// <summary>Simple names of the assemblies submissions are compiled against.</summary>
    public IReadOnlyList<string> References => references;

    /// <summary>Language features no symbol lookup sees: unsafe code, attributes, reserved names.</summary>
    public IReadOnlyList<SourceDiagnostic> CheckSyntax(SyntaxTree tree, CancellationToken cancellationToken) =>
        SyntaxBans.Check(tree, cancellationToken);

    /// <summary>Every use in source of an API the rules refuse, with its line and column.</summary>
    public IReadOnlyList<SourceDiagnostic> CheckSemantics(SemanticModel model, CancellationToken cancellationToken) =>
        new SemanticApiWalk(this, model, cancellationToken).Run();

    /// <summary>
    /// What the compiled assembly references that the rules refuse, as names such as
    /// <c>System.Reflection.MethodInfo.Invoke</c>; empty when it is clean.
    /// </summary>
    public IReadOnlyList<string> ScanMetadata(byte[] assembly) => MetadataApiScan.Scan(this, assembly);

    // Whether a namespace, type or member (by any of its names) may be used at this site.
    internal bool Allows(ApiSite site, params ReadOnlySpan<string> names)
    {
        RuleKind? best = null;
        var bestRank = -1;
        foreach (var name in names)
        {
            if (MostSpecificRule(name) is ({ } kind, var rank) && rank > bestRank)
            {
                best = kind;
                bestRank = rank;
            }
        }
        return best switch
        {
            RuleKind.Allow => true,
            RuleKind.AllowInCompiledCodeOnly => site == ApiSite.CompiledCode,
            _ => false,
        };
    }

    // Whether a type may be named at this site: it is allowed, or some member of it is.
    internal bool AllowsSomeOf(ApiSite site, string typeName) =>
        Allows(site, typeName)
        || (site == ApiSite.Source ? partlyAllowedInSource : partlyAllowedInCompiledCode).Contains(typeName);

    internal bool AllowsReference(string assemblyName) => references.Contains(assemblyName, StringComparer.Ordinal);

    private (RuleKind? Kind, int Rank) MostSpecificRule(string name)
    {
        // Walk the name's prefixes, longest first; the first rule found is the most specific.
        var candidate = name;
        while (true)
        {
            if (rulesOnName.TryGetValue(candidate, out var onName))
            {
                return (onName, candidate.Length * 2);
            }
            var dot = candidate.LastIndexOf('.');
            if (dot <= 0)
            {
                return (null, -1);
            }
            candidate = candidate[..dot];
            if (rulesInsideName.TryGetValue(candidate, out var inside))
            {
                return (inside, candidate.Length * 2 + 1);
            }
        }
    }

    private void AddRule(string line, int lineNumber)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new FormatException($"allowlist line {lineNumber}: expected '<allow|allow-il|deny|reference> NAME', got '{line}'");
        }
        var (verb, name) = (parts[0], parts[1]);
        if (verb == "reference")
        {
            references.Add(name);
            return;
        }
        RuleKind kind = verb switch
        {
            "allow" => RuleKind.Allow,
            "allow-il" => RuleKind.AllowInCompiledCodeOnly,
            "deny" => RuleKind.Deny,
            _ => throw new FormatException($"allowlist line {lineNumber}: unknown rule '{verb}'"),
        };
        var inside = name.EndsWith(".*", StringComparison.Ordinal);
        var target = inside ? name[..^2] : name;
        if (target.Length == 0 || target.Contains('*', StringComparison.Ordinal) || target.Contains('`', StringComparison.Ordinal))
        {
            throw new FormatException($"allowlist line {lineNumber}: '{name}' is not a name (write List, not List`1; '*' only as a final '.*')");
        }
        if (!(inside ? rulesInsideName : rulesOnName).TryAdd(target, kind))
        {
            throw new FormatException($"allowlist line {lineNumber}: a second rule for '{name}'");
        }
        if (kind != RuleKind.Deny)
        {
            var partlyAllowed = kind == RuleKind.Allow ? partlyAllowedInSource : null;
            for (var dot = target.LastIndexOf('.'); dot > 0; dot = target.LastIndexOf('.', dot - 1))
            {
                partlyAllowed?.Add(target[..dot]);
                partlyAllowedInCompiledCode.Add(target[..dot]);
            }
        }
    }

    private static ApiAllowlist FromEmbeddedRules()
    {
        using var stream = typeof(ApiAllowlist).Assembly.GetManifestResourceStream(EmbeddedRulesName)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedRulesName} is missing.");
        using var reader = new StreamReader(stream);
        return new ApiAllowlist(reader.ReadToEnd());
    }
}

// Where a name is used: written in the student's source, or referenced by the compiled code.
internal enum ApiSite
{
    Source,
    CompiledCode,
}
