using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Grader.Core.Grading.GraderDiagnostics;

namespace Grader.Core.Grading;

// Language features refused in submissions that no symbol lookup would show.
internal static class SyntaxBans
{
    // The runtime and the compiler recognise some types by name alone (ModuleInitializerAttribute,
    // UnsafeAccessorAttribute, IgnoresAccessChecksToAttribute...), so nobody may declare names there.
    public static readonly string[] ReservedNamespaces = ["System", "Microsoft", "MathNet", "Grader"];

    public static IReadOnlyList<SourceDiagnostic> Check(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var found = new List<SourceDiagnostic>();
        foreach (var item in tree.GetRoot(cancellationToken).DescendantNodesAndTokens())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var problem = item.IsToken ? BannedToken(item.AsToken()) : BannedNode(item.AsNode()!);
            if (problem is var (id, message))
            {
                found.Add(Error(id, item.GetLocation()!, message));
            }
        }
        return found;
    }

    public static bool IsReserved(string name) =>
        ReservedNamespaces.Any(r => name == r || name.StartsWith(r + ".", StringComparison.Ordinal));

    // By value, so that an escape such as Sy\u0073tem does not hide the name.
    private static string NameOf(NameSyntax name) =>
        string.Join('.', name.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));

    private static (string Id, string Message)? BannedToken(SyntaxToken token) => token.Kind() switch
    {
        SyntaxKind.UnsafeKeyword => (UnsafeCode, "'unsafe' code is not allowed in submissions"),
        SyntaxKind.FixedKeyword => (UnsafeCode, "'fixed' is not allowed in submissions"),
        SyntaxKind.StackAllocKeyword => (UnsafeCode, "'stackalloc' is not allowed in submissions; use an array"),
        SyntaxKind.ExternKeyword => (Extern, "'extern' is not allowed in submissions"),
        SyntaxKind.MakeRefKeyword or SyntaxKind.RefTypeKeyword or SyntaxKind.RefValueKeyword or SyntaxKind.ArgListKeyword =>
            (UndocumentedKeyword, $"'{token.Text}' is not allowed in submissions"),
        _ => null,
    };

    private static (string Id, string Message)? BannedNode(SyntaxNode node) => node switch
    {
        PointerTypeSyntax => (UnsafeCode, "pointer types are not allowed in submissions"),
        FunctionPointerTypeSyntax => (UnsafeCode, "function pointers (delegate*) are not allowed in submissions"),
        DestructorDeclarationSyntax destructor =>
            (Finalizer, $"finalizers (~{destructor.Identifier.ValueText}) are not allowed in submissions"),
        AttributeListSyntax list =>
            (Attributes, $"attributes such as [{list.Attributes.FirstOrDefault()?.Name}] are not allowed in submissions; remove them"),
        IdentifierNameSyntax { Identifier.ValueText: "dynamic" } name when SyntaxFacts.IsInTypeOnlyContext(name) =>
            (Dynamic, "'dynamic' is not allowed in submissions; use a concrete type"),
        BaseNamespaceDeclarationSyntax ns when IsReserved(NameOf(ns.Name)) =>
            (ReservedName, $"the namespace name {NameOf(ns.Name)} is reserved; choose another name"),
        BaseTypeDeclarationSyntax type when IsReserved(type.Identifier.ValueText) =>
            (ReservedName, $"the type name {type.Identifier.ValueText} is reserved; choose another name"),
        DelegateDeclarationSyntax type when IsReserved(type.Identifier.ValueText) =>
            (ReservedName, $"the type name {type.Identifier.ValueText} is reserved; choose another name"),
        _ => null,
    };
}
