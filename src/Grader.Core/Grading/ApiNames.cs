using Microsoft.CodeAnalysis;

namespace Grader.Core.Grading;

// Names as the rules file spells them: dotted, nested types after their outer type, no generic
// arity, properties and events by their own name rather than their accessors'.
internal static class ApiNames
{
    private static readonly string[] AccessorPrefixes = ["get_", "set_", "add_", "remove_"];

    public static string Of(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (type.ContainingType is { } outer)
        {
            return Of(outer) + "." + type.Name;
        }
        var ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? type.Name : ns.ToDisplayString() + "." + type.Name;
    }

    public static string MemberName(ISymbol member) => member switch
    {
        IPropertySymbol { IsIndexer: true } => "Item",
        IMethodSymbol { MethodKind: MethodKind.Constructor } => ".ctor",
        _ => member.Name,
    };

    public static string WithoutArity(string metadataName)
    {
        var tick = metadataName.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? metadataName : metadataName[..tick];
    }

    // The property or event a metadata accessor name (get_Length) belongs to, or null.
    public static string? AccessorOwner(string memberName)
    {
        foreach (var prefix in AccessorPrefixes)
        {
            if (memberName.Length > prefix.Length && memberName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return memberName[prefix.Length..];
            }
        }
        return null;
    }

    public static string Display(string typeName, string memberName) => memberName switch
    {
        ".ctor" => $"new {typeName}(...)",
        "Item" => $"the {typeName} indexer",
        _ => $"{typeName}.{memberName}",
    };
}
