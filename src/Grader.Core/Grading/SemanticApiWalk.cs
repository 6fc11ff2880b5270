using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Grader.Core.Grading.GraderDiagnostics;

namespace Grader.Core.Grading;

// Finds each use in the source of an API the allowlist refuses. Only nodes that can name a
// symbol are asked for one: asking every node dominated the time of the whole check.
//
// Left to the metadata scan, which sees them in the compiled code with a plainer message:
// implicit user-defined conversions, using/Dispose, interpolated string handlers, collection
// expressions and list patterns. Whatever they reach is still checked there.
internal sealed class SemanticApiWalk(ApiAllowlist allowlist, SemanticModel model, CancellationToken cancellationToken)
{
    private readonly IAssemblySymbol submission = model.Compilation.Assembly;
    private readonly HashSet<SourceDiagnostic> found = [];

    public IReadOnlyList<SourceDiagnostic> Run()
    {
        foreach (var node in model.SyntaxTree.GetRoot(cancellationToken).DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Visit(node);
        }
        return InReadingOrder(found, int.MaxValue);
    }

    private void Visit(SyntaxNode node)
    {
        switch (node)
        {
            case SimpleNameSyntax name:
                CheckName(name);
                break;
            case BaseObjectCreationExpressionSyntax creation:
                CheckCreation(creation);
                break;
            case ElementAccessExpressionSyntax or ElementBindingExpressionSyntax or ImplicitElementAccessSyntax:
                CheckSymbol(SymbolInfo(node), node.GetLocation());
                break;
            case BinaryExpressionSyntax binary:
                CheckOperator(binary, binary.OperatorToken);
                break;
            case PrefixUnaryExpressionSyntax prefix:
                CheckOperator(prefix, prefix.OperatorToken);
                break;
            case PostfixUnaryExpressionSyntax postfix:
                CheckOperator(postfix, postfix.OperatorToken);
                break;
            case CastExpressionSyntax cast:
                CheckOperator(cast, cast.OpenParenToken);
                break;
            case AssignmentExpressionSyntax assignment:
                CheckOperator(assignment, assignment.OperatorToken);
                if (assignment.Left is TupleExpressionSyntax or DeclarationExpressionSyntax)
                {
                    CheckDeconstruction(model.GetDeconstructionInfo(assignment), assignment.GetLocation());
                }
                break;
            case CommonForEachStatementSyntax loop:
                CheckForEach(loop);
                break;
            case AwaitExpressionSyntax await:
                var awaitInfo = model.GetAwaitExpressionInfo(await);
                CheckSymbols(await.GetLocation(), awaitInfo.GetAwaiterMethod, awaitInfo.IsCompletedProperty, awaitInfo.GetResultMethod);
                break;
            case QueryClauseSyntax clause:
                var clauseInfo = model.GetQueryClauseInfo(clause, cancellationToken);
                CheckSymbol(clauseInfo.CastInfo, clause.GetLocation());
                CheckSymbol(clauseInfo.OperationInfo, clause.GetLocation());
                break;
            case SelectOrGroupClauseSyntax or OrderingSyntax:
                CheckSymbol(SymbolInfo(node), node.GetLocation());
                break;
            case InitializerExpressionSyntax { RawKind: (int)SyntaxKind.CollectionInitializerExpression } initializer:
                foreach (var element in initializer.Expressions)
                {
                    CheckSymbol(model.GetCollectionInitializerSymbolInfo(element, cancellationToken), element.GetLocation());
                }
                break;
            case TypeOfExpressionSyntax typeOf:
                // typeof hands out a System.Type, the way into reflection.
                CheckType(model.GetTypeInfo(typeOf, cancellationToken).Type, typeOf.Keyword.GetLocation());
                break;
            case LockStatementSyntax lockStatement when !allowlist.Allows(ApiSite.Source, "System.Threading.Monitor.Enter"):
                Report(lockStatement.LockKeyword.GetLocation(), "lock (System.Threading.Monitor)");
                break;
        }
    }

    private void CheckName(SimpleNameSyntax name)
    {
        if (name.IsVar)
        {
            // The type 'var' stands for is named, and checked, where the value comes from.
            return;
        }
        var info = SymbolInfo(name);
        var location = name.Identifier.GetLocation();
        if (info.Symbol is ITypeSymbol type)
        {
            // In Console.WriteLine the member decides; in new Thread(...) the constructor does.
            if (!IsReceiverOrCreatedType(name))
            {
                CheckType(type, location);
            }
            return;
        }
        CheckSymbol(info, location);
    }

    private void CheckCreation(BaseObjectCreationExpressionSyntax creation)
    {
        if (SymbolInfo(creation).Symbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            || IsOwn(constructor))
        {
            return;
        }
        var typeName = ApiNames.Of(constructor.ContainingType);
        if (!allowlist.Allows(ApiSite.Source, typeName + "..ctor"))
        {
            var display = allowlist.AllowsSomeOf(ApiSite.Source, typeName) ? $"new {typeName}(...)" : typeName;
            Report(creation.NewKeyword.GetLocation(), display);
        }
    }

    private void CheckOperator(SyntaxNode node, SyntaxToken operatorToken)
    {
        // Built-in operators (int + int) have no API behind them; user-defined ones do.
        if (SymbolInfo(node).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } method)
        {
            CheckMember(method, operatorToken.GetLocation());
        }
    }

    private void CheckForEach(CommonForEachStatementSyntax loop)
    {
        var info = model.GetForEachStatementInfo(loop);
        var location = loop.Expression.GetLocation();
        CheckSymbols(location, info.GetEnumeratorMethod, info.MoveNextMethod, info.CurrentProperty, info.DisposeMethod);
        if (loop is ForEachVariableStatementSyntax deconstructing)
        {
            CheckDeconstruction(model.GetDeconstructionInfo(deconstructing), location);
        }
    }

    private void CheckDeconstruction(DeconstructionInfo info, Location location)
    {
        CheckSymbols(location, info.Method);
        foreach (var nested in info.Nested)
        {
            CheckDeconstruction(nested, location);
        }
    }

    private void CheckSymbol(SymbolInfo info, Location location)
    {
        if (info.Symbol is { } symbol)
        {
            CheckSymbol(symbol, location);
            return;
        }
        // Method groups (nameof, overloads not yet chosen) and the like: each candidate must pass.
        foreach (var candidate in info.CandidateSymbols)
        {
            CheckSymbol(candidate, location);
        }
    }

    private void CheckSymbols(Location location, params ReadOnlySpan<ISymbol?> symbols)
    {
        foreach (var symbol in symbols)
        {
            if (symbol is not null)
            {
                CheckSymbol(symbol, location);
            }
        }
    }

    private void CheckSymbol(ISymbol symbol, Location location)
    {
        switch (symbol)
        {
            case ITypeSymbol type:
                CheckType(type, location);
                break;
            case IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol:
                CheckMember(symbol, location);
                break;
            // Namespaces, locals, parameters, labels, range variables: nothing to allow or refuse.
        }
    }

    private void CheckType(ITypeSymbol? type, Location location)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                CheckType(array.ElementType, location);
                break;
            case INamedTypeSymbol named when named.TypeKind != TypeKind.Error && !IsOwn(named):
                var name = ApiNames.Of(named);
                if (!allowlist.AllowsSomeOf(ApiSite.Source, name))
                {
                    Report(location, name);
                }
                break;
            // Pointers and dynamic are syntax bans; type parameters stand for types checked elsewhere.
        }
    }

    private void CheckMember(ISymbol member, Location location)
    {
        if (member is IMethodSymbol method)
        {
            if (method.MethodKind is MethodKind.BuiltinOperator or MethodKind.LocalFunction or MethodKind.AnonymousFunction)
            {
                return;
            }
            member = method.ReducedFrom ?? method;
            if (method.AssociatedSymbol is IPropertySymbol or IEventSymbol)
            {
                member = method.AssociatedSymbol;
            }
        }
        member = member.OriginalDefinition;
        if (IsOwn(member) || member.ContainingType is not { } containingType)
        {
            return;
        }
        var typeName = ApiNames.Of(containingType);
        var memberName = ApiNames.MemberName(member);
        if (!allowlist.Allows(ApiSite.Source, $"{typeName}.{memberName}"))
        {
            Report(location, ApiNames.Display(typeName, memberName));
        }
    }

    private static bool IsReceiverOrCreatedType(SimpleNameSyntax name)
    {
        SyntaxNode outer = name;
        while (outer.Parent is QualifiedNameSyntax qualified && qualified.Right == outer
            || outer.Parent is MemberAccessExpressionSyntax access && access.Name == outer
            || outer.Parent is AliasQualifiedNameSyntax alias && alias.Name == outer)
        {
            outer = outer.Parent;
        }
        return outer.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == outer,
            QualifiedNameSyntax qualified => qualified.Left == outer,
            ObjectCreationExpressionSyntax creation => creation.Type == outer,
            _ => false,
        };
    }

    private bool IsOwn(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, submission);

    private SymbolInfo SymbolInfo(SyntaxNode node) => model.GetSymbolInfo(node, cancellationToken);

    private void Report(Location location, string api) =>
        found.Add(Error(ApiNotAvailable, location, $"{api} is not available in submissions"));
}
