using Microsoft.CodeAnalysis;

namespace Grader.Core.Grading;

/// <summary>
/// The APIs a submission may use, from one rules file (allowlist.txt), checked twice: a semantic
/// walk for friendly line:column messages and a scan of the emitted assembly's metadata.
/// </summary>
public sealed class ApiAllowlist
{
    public static ApiAllowlist Default { get; } = new();

    public IReadOnlyList<SourceDiagnostic> CheckSyntax(SyntaxTree tree, CancellationToken cancellationToken) => throw new NotImplementedException();

    public IReadOnlyList<SourceDiagnostic> CheckSemantics(SemanticModel model, CancellationToken cancellationToken) => throw new NotImplementedException();

    public IReadOnlyList<string> ScanMetadata(byte[] assembly) => throw new NotImplementedException();
}
