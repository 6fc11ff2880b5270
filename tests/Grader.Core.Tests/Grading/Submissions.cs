using Grader.Core.Grading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grader.Core.Tests.Grading;

/// <summary>Ways to compile a test submission: as the grader does, or against the whole framework.</summary>
internal static class Submissions
{
    // The grader's reference set already leaves out Process, expression trees and PLINQ; to see
    // that the allowlist refuses them too, compile against every framework assembly.
    private static readonly MetadataReference[] WholeFramework =
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.Contains("Microsoft.NETCore.App", StringComparison.Ordinal))
            .Where(path => !ApiAllowlist.Default.References.Contains(Path.GetFileNameWithoutExtension(path)))
            .Select(path => MetadataReference.CreateFromFile(path))];

    public static CompileResult Compile(string source) => ScriptCompiler.Default.Compile(source, CancellationToken.None);

    public static SourceDiagnostic Single(CompileResult result, CompileStatus status)
    {
        Assert.True(result.Status == status, $"expected {status}, got {result.Status}: {string.Join("; ", result.Diagnostics)}");
        return Assert.Single(result.Diagnostics);
    }

    public static IReadOnlyList<SourceDiagnostic> CheckSemanticsAgainstWholeFramework(string source)
    {
        var compilation = CompileAgainstWholeFramework(source);
        return ApiAllowlist.Default.CheckSemantics(compilation.GetSemanticModel(compilation.SyntaxTrees.Single()), CancellationToken.None);
    }

    /// <summary>Emits without any of the grader's checks, for the metadata scan to look at.</summary>
    public static byte[] EmitAgainstWholeFramework(string source)
    {
        var compilation = CompileAgainstWholeFramework(source);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("; ", emitted.Diagnostics));
        return stream.ToArray();
    }

    private static CSharpCompilation CompileAgainstWholeFramework(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ScriptCompiler.ParseOptions);
        var compilation = ScriptCompiler.Default.CreateCompilation(tree, WholeFramework);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the test source does not compile: " + string.Join("; ", errors));
        return compilation;
    }
}
