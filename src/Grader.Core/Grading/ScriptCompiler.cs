using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using static Grader.Core.Grading.GraderDiagnostics;

namespace Grader.Core.Grading;

/// <summary>
/// Compiles a submission, a C# script of top-level methods and statements like notebook cells,
/// into an assembly a runner can load, or says why not. Build one and reuse it, from any thread:
/// the references and options are made once.
/// </summary>
/// <remarks>
/// A runner loads the bytes, takes the type <see cref="CompileResult.ScriptClassName"/> and calls
/// its static <c>&lt;Factory&gt;(object[])</c> with <c>var slots = new object[2]</c> (slot 0 is for
/// globals, which submissions have none of). The factory stores the new submission instance in
/// <c>slots[1]</c> and returns a <c>Task&lt;object&gt;</c> that runs the top-level statements and
/// completes with the script's return value, not the instance. The student's top-level methods
/// are public instance methods of <c>slots[1]</c>.
/// </remarks>
public sealed class ScriptCompiler
{
    public const int MaxSourceBytes = 64 * 1024;
    public const int MaxLines = 2_000;
    private const int MaxDiagnostics = 50;

    internal static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    // Notebook-style code expects these without writing them.
    private static readonly string[] DefaultUsings =
        ["System", "System.Collections.Generic", "System.Linq", "MathNet.Numerics.LinearAlgebra"];

    // Shared so that every compiler reuses Roslyn's symbols for the same files.
    private static readonly ConcurrentDictionary<string, MetadataReference> ReferencesByPath = new(StringComparer.Ordinal);

    private static readonly Lazy<ScriptCompiler> DefaultCompiler = new(() => new ScriptCompiler(ApiAllowlist.Default));

    private readonly ApiAllowlist allowlist;
    private readonly ImmutableArray<MetadataReference> references;
    private readonly CSharpCompilationOptions options;

    public ScriptCompiler(ApiAllowlist allowlist)
    {
        ArgumentNullException.ThrowIfNull(allowlist);
        this.allowlist = allowlist;
        references = [.. allowlist.References.Select(name => ReferencesByPath.GetOrAdd(FindAssembly(name), path => MetadataReference.CreateFromFile(path)))];
        options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                scriptClassName: CompileResult.ScriptClassName,
                usings: DefaultUsings,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: false,
                deterministic: true,
                concurrentBuild: false,
                nullableContextOptions: NullableContextOptions.Disable)
            .WithMetadataReferenceResolver(RefusingMetadataResolver.Instance)
            .WithSourceReferenceResolver(RefusingSourceResolver.Instance);
    }

    // Touches what most submissions do (MathNet, LINQ, interpolation, records, iterators) so that
    // the symbols and code paths they need are loaded before the first student arrives.
    internal const string WarmUpSource = """
        record Point(double X, double Y);
        IEnumerable<int> Squares(int n) { for (var i = 0; i < n; i++) yield return i * i; }
        double Solve() => Matrix<double>.Build.DenseIdentity(2).Solve(Vector<double>.Build.Dense(2, 1.0)).Sum();
        string Describe(Point p) => $"{p.X:F2} {Squares(3).Sum()} {new[] { 1.0, 2.0 }.Average()}";
        """;

    /// <summary>The compiler for the embedded allowlist, created on first use and shared.</summary>
    public static ScriptCompiler Default => DefaultCompiler.Value;

    /// <summary>The assemblies submissions compile against (the allowlist's <c>reference</c> lines).</summary>
    public IReadOnlyList<MetadataReference> References => references;

    /// <summary>Compiles a small submission so that the first real one does not pay for a cold start.</summary>
    public void WarmUp(CancellationToken cancellationToken) => Compile(WarmUpSource, cancellationToken);

    /// <summary>
    /// Checks, compiles and scans one submission. Compile errors and refusals are results, not
    /// exceptions; cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public CompileResult Compile(string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = Stopwatch.GetTimestamp();
        var result = CompileChecked(source, cancellationToken);
        return result with { ElapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
    }

    private CompileResult CompileChecked(string source, CancellationToken cancellationToken)
    {
        var text = SourceText.From(source);
        if (CheckInput(source, text) is { } inputProblem)
        {
            return Rejected([inputProblem]);
        }

        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, path: "", cancellationToken);
        List<SourceDiagnostic> refused = [.. Directives(tree.GetRoot(cancellationToken)), .. allowlist.CheckSyntax(tree, cancellationToken)];
        if (refused.Count > 0)
        {
            return Rejected(refused);
        }

        // Roslyn emits nothing, and says nothing, for a script without a single member.
        if (tree.GetCompilationUnitRoot(cancellationToken).Members.Count == 0)
        {
            return new CompileResult(CompileStatus.CompileError, [Error(NoCode, 1, 1, "the submission contains no code")], null, 0);
        }

        var compilation = CreateCompilation(tree);
        using var peStream = new MemoryStream();
        var emitted = compilation.Emit(peStream, cancellationToken: cancellationToken);
        if (!emitted.Success)
        {
            List<SourceDiagnostic> errors = [.. emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(FromCompiler)];
            if (errors.Count == 0)
            {
                errors.Add(Error(NoAssembly, 0, 0, "the compiler produced no assembly and gave no reason"));
            }
            return new CompileResult(CompileStatus.CompileError, InReadingOrder(errors, MaxDiagnostics), null, 0);
        }

        var denied = allowlist.CheckSemantics(compilation.GetSemanticModel(tree), cancellationToken);
        if (denied.Count > 0)
        {
            return Rejected(denied);
        }

        var assembly = peStream.ToArray();
        var scanned = allowlist.ScanMetadata(assembly);
        if (scanned.Count > 0)
        {
            return Rejected(scanned.Select(finding => Error(CompiledCodeNotAllowed, 0, 0,
                $"the compiled submission uses {finding}, which is not available in submissions")));
        }

        var warnings = emitted.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed)
            .Select(FromCompiler);
        return new CompileResult(CompileStatus.Ok, InReadingOrder(warnings, MaxDiagnostics), assembly, 0);
    }

    // The compilation a submission gets; tests add references to reach what the grader's set leaves out.
    internal CSharpCompilation CreateCompilation(SyntaxTree tree, params IEnumerable<MetadataReference> extraReferences) =>
        CSharpCompilation.CreateScriptCompilation("Submission", tree, references.Concat(extraReferences), options);

    private static SourceDiagnostic? CheckInput(string source, SourceText text)
    {
        // Every char is at least one UTF-8 byte, so a long string is too large before counting.
        if (source.Length > MaxSourceBytes || Encoding.UTF8.GetByteCount(source) > MaxSourceBytes)
        {
            return Error(SourceTooLarge, 1, 1, $"the submission is larger than {MaxSourceBytes / 1024} KiB; shorten it");
        }
        var lines = text.Lines.Count;
        if (lines > 1 && text.Lines[^1].Span.IsEmpty)
        {
            lines--; // a final line break does not start another line
        }
        if (lines > MaxLines)
        {
            return Error(TooManyLines, MaxLines + 1, 1, $"the submission has {lines} lines; at most {MaxLines} are accepted");
        }
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\0')
            {
                return AtIndex(NulCharacter, i, "the submission contains a NUL character; save it as plain text");
            }
            if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return AtIndex(InvalidText, i, "the submission is not valid UTF-8 text");
            }
        }
        return null;

        SourceDiagnostic AtIndex(string id, int index, string message)
        {
            var position = text.Lines.GetLinePosition(index);
            return Error(id, position.Line + 1, position.Character + 1, message);
        }
    }

    // With default script options #load reads any file, #r loads any assembly, and #line or
    // #error can make the compiler's own output lie to the student; none has a use here.
    private static IEnumerable<SourceDiagnostic> Directives(SyntaxNode root) =>
        root.DescendantTrivia()
            .Select(trivia => trivia.GetStructure())
            .OfType<DirectiveTriviaSyntax>()
            .Select(directive =>
            {
                var name = directive is ShebangDirectiveTriviaSyntax ? "#!" : "#" + directive.DirectiveNameToken.Text;
                return Error(Directive, directive.GetLocation(), $"directives such as {name} are not allowed in submissions; remove the line");
            });

    private static CompileResult Rejected(IEnumerable<SourceDiagnostic> diagnostics) =>
        new(CompileStatus.Rejected, InReadingOrder(diagnostics, MaxDiagnostics), null, 0);

    private static SourceDiagnostic FromCompiler(Diagnostic diagnostic)
    {
        var (line, column) = Position(diagnostic.Location);
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return new SourceDiagnostic(diagnostic.Id, severity, line, column, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    private static string FindAssembly(string simpleName)
    {
        if (simpleName == typeof(MathNet.Numerics.LinearAlgebra.Matrix<>).Assembly.GetName().Name)
        {
            return typeof(MathNet.Numerics.LinearAlgebra.Matrix<>).Assembly.Location;
        }
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        return trusted.FirstOrDefault(path => string.Equals(Path.GetFileNameWithoutExtension(path), simpleName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The assembly {simpleName} named in the allowlist is not part of this runtime.");
    }

    private sealed class RefusingMetadataResolver : MetadataReferenceResolver
    {
        public static readonly RefusingMetadataResolver Instance = new();

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];

        public override bool Equals(object? other) => other is RefusingMetadataResolver;

        public override int GetHashCode() => nameof(RefusingMetadataResolver).GetHashCode(StringComparison.Ordinal);
    }

    private sealed class RefusingSourceResolver : SourceReferenceResolver
    {
        public static readonly RefusingSourceResolver Instance = new();

        public override string? NormalizePath(string path, string? baseFilePath) => null;

        public override string? ResolveReference(string path, string? baseFilePath) => null;

        public override Stream OpenRead(string resolvedPath) => throw new FileNotFoundException("Submissions cannot read files.", resolvedPath);

        public override bool Equals(object? other) => other is RefusingSourceResolver;

        public override int GetHashCode() => nameof(RefusingSourceResolver).GetHashCode(StringComparison.Ordinal);
    }
}
