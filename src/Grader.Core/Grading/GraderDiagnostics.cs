using Microsoft.CodeAnalysis;

namespace Grader.Core.Grading;

// The grader's own diagnostic ids (compiler ones keep their CS ids).
internal static class GraderDiagnostics
{
    public const string SourceTooLarge = "GRD0001";
    public const string TooManyLines = "GRD0002";
    public const string NulCharacter = "GRD0003";
    public const string InvalidText = "GRD0004";
    public const string NoCode = "GRD0005";
    public const string NoAssembly = "GRD0009";
    public const string Directive = "GRD0010";
    public const string UnsafeCode = "GRD0020";
    public const string Extern = "GRD0021";
    public const string Finalizer = "GRD0022";
    public const string Dynamic = "GRD0023";
    public const string UndocumentedKeyword = "GRD0024";
    public const string ReservedName = "GRD0025";
    public const string Attributes = "GRD0026";
    public const string ApiNotAvailable = "GRD0100";
    // Found only by the metadata scan, so without a position.
    public const string CompiledCodeNotAllowed = "GRD0190";

    public static SourceDiagnostic Error(string id, int line, int column, string message) =>
        new(id, "error", line, column, message);

    public static SourceDiagnostic Error(string id, Location location, string message)
    {
        var (line, column) = Position(location);
        return Error(id, line, column, message);
    }

    // 1-based line and column in the student's file; 0, 0 when the location is not in it.
    public static (int Line, int Column) Position(Location location)
    {
        if (!location.IsInSource)
        {
            return (0, 0);
        }
        var start = location.GetLineSpan().StartLinePosition;
        return (start.Line + 1, start.Character + 1);
    }

    public static List<SourceDiagnostic> InReadingOrder(IEnumerable<SourceDiagnostic> diagnostics, int cap) =>
        diagnostics
            .Distinct()
            .OrderBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .Take(cap)
            .ToList();
}
