using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Grader.Core.Grading;

// The completeness net behind the semantic walk: every type and member the compiled assembly
// references, including those the compiler emits on its own, checked against the same rules.
internal static class MetadataApiScan
{
    public static IReadOnlyList<string> Scan(ApiAllowlist allowlist, byte[] assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            using var pe = new PEReader(ImmutableArray.Create(assembly));
            var reader = pe.GetMetadataReader();
            ScanStructure(reader, findings);
            ScanAssemblyReferences(allowlist, reader, findings);
            ScanTypeReferences(allowlist, reader, findings);
            ScanMemberReferences(allowlist, reader, findings);
            ScanOwnTypesAndAttributes(allowlist, reader, findings);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            findings.Add("an assembly that cannot be read");
        }
        return [.. findings];
    }

    private static void ScanStructure(MetadataReader reader, SortedSet<string> findings)
    {
        if (reader.GetTableRowCount(TableIndex.ModuleRef) > 0 || reader.GetTableRowCount(TableIndex.ImplMap) > 0)
        {
            findings.Add("native code (DllImport)");
        }
        // Overlapping fields give type confusion without the unsafe keyword.
        if (reader.GetTableRowCount(TableIndex.FieldLayout) > 0)
        {
            findings.Add("explicit field layout (FieldOffset)");
        }
        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0
                || (method.ImplAttributes & MethodImplAttributes.InternalCall) != 0)
            {
                findings.Add("a method implemented outside the submission (extern)");
            }
        }
        // The first type definition is <Module>; methods on it run as a module initializer.
        foreach (var handle in reader.TypeDefinitions)
        {
            if (reader.GetTypeDefinition(handle).GetMethods().Count > 0)
            {
                findings.Add("a module initializer");
            }
            break;
        }
    }

    private static void ScanAssemblyReferences(ApiAllowlist allowlist, MetadataReader reader, SortedSet<string> findings)
    {
        foreach (var handle in reader.AssemblyReferences)
        {
            var name = reader.GetString(reader.GetAssemblyReference(handle).Name);
            if (!allowlist.AllowsReference(name))
            {
                findings.Add($"the assembly {name}");
            }
        }
    }

    private static void ScanTypeReferences(ApiAllowlist allowlist, MetadataReader reader, SortedSet<string> findings)
    {
        foreach (var handle in reader.TypeReferences)
        {
            var name = NameOf(reader, handle);
            if (name is null)
            {
                findings.Add("a type from another module");
            }
            else if (!allowlist.AllowsSomeOf(ApiSite.CompiledCode, name))
            {
                findings.Add(name);
            }
        }
    }

    private static void ScanMemberReferences(ApiAllowlist allowlist, MetadataReader reader, SortedSet<string> findings)
    {
        var parents = new ParentTypeNames(reader);
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            var parent = member.Parent.Kind switch
            {
                HandleKind.TypeReference => NameOf(reader, (TypeReferenceHandle)member.Parent) is { } name ? ParentType.Api(name) : ParentType.Unusual,
                HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(parents, genericContext: null),
                HandleKind.TypeDefinition => ParentType.Own,
                // A MethodDef parent is a vararg call site (__arglist); a ModuleRef one is native code.
                _ => ParentType.Unusual,
            };
            if (parent.Kind == ParentKind.Unusual)
            {
                findings.Add("an unusual member reference (vararg or native)");
                continue;
            }
            if (parent.Kind != ParentKind.Api)
            {
                // The submission's own types, and the methods the runtime gives every array.
                continue;
            }
            var memberName = reader.GetString(member.Name);
            var owner = ApiNames.AccessorOwner(memberName);
            var allowed = owner is null
                ? allowlist.Allows(ApiSite.CompiledCode, $"{parent.Name}.{memberName}")
                : allowlist.Allows(ApiSite.CompiledCode, $"{parent.Name}.{memberName}", $"{parent.Name}.{owner}");
            if (!allowed)
            {
                findings.Add(ApiNames.Display(parent.Name, owner ?? memberName));
            }
        }
    }

    private static void ScanOwnTypesAndAttributes(ApiAllowlist allowlist, MetadataReader reader, SortedSet<string> findings)
    {
        // Only the compiler can put a type in a reserved namespace (the syntax bans refuse it in
        // source), and only the ones the rules allow as emitted code.
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (!type.GetDeclaringType().IsNil)
            {
                continue;
            }
            var name = NameOf(reader, handle);
            if (SyntaxBans.IsReserved(name) && !allowlist.Allows(ApiSite.CompiledCode, name))
            {
                findings.Add(name);
            }
        }
        // Attributes whose type is referenced are checked with the member references (their
        // constructors); the ones defined here must be allowed by name too.
        foreach (var handle in reader.CustomAttributes)
        {
            var constructor = reader.GetCustomAttribute(handle).Constructor;
            if (constructor.Kind == HandleKind.MethodDefinition)
            {
                var type = reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType();
                var name = NameOf(reader, type);
                if (!allowlist.Allows(ApiSite.CompiledCode, name))
                {
                    findings.Add($"the attribute {name}");
                }
            }
        }
    }

    // The rules-file name of a referenced type, or null when it lives in another module.
    private static string? NameOf(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = ApiNames.WithoutArity(reader.GetString(type.Name));
        switch (type.ResolutionScope.Kind)
        {
            case HandleKind.TypeReference:
                return NameOf(reader, (TypeReferenceHandle)type.ResolutionScope) is { } outer ? outer + "." + name : null;
            case HandleKind.AssemblyReference:
                var ns = reader.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            default:
                return null;
        }
    }

    private static string NameOf(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = ApiNames.WithoutArity(reader.GetString(type.Name));
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return NameOf(reader, declaring) + "." + name;
        }
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private enum ParentKind
    {
        Api,
        Own,
        Array,
        Unusual,
    }

    private readonly record struct ParentType(ParentKind Kind, string Name)
    {
        public static ParentType Own => new(ParentKind.Own, "");
        public static ParentType Array => new(ParentKind.Array, "");
        public static ParentType Unusual => new(ParentKind.Unusual, "");
        public static ParentType Api(string name) => new(ParentKind.Api, name);
    }

    // Reduces a member's parent type signature to the type whose rules apply: List<int> to List.
    private sealed class ParentTypeNames(MetadataReader reader) : ISignatureTypeProvider<ParentType, object?>
    {
        public ParentType GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) =>
            NameOf(reader, handle) is { } name ? ParentType.Api(name) : ParentType.Unusual;

        public ParentType GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => ParentType.Own;

        public ParentType GetGenericInstantiation(ParentType genericType, ImmutableArray<ParentType> typeArguments) => genericType;

        public ParentType GetSZArrayType(ParentType elementType) => ParentType.Array;

        public ParentType GetArrayType(ParentType elementType, ArrayShape shape) => ParentType.Array;

        public ParentType GetPrimitiveType(PrimitiveTypeCode typeCode) => ParentType.Api(typeCode switch
        {
            PrimitiveTypeCode.Boolean => "System.Boolean",
            PrimitiveTypeCode.Char => "System.Char",
            PrimitiveTypeCode.SByte => "System.SByte",
            PrimitiveTypeCode.Byte => "System.Byte",
            PrimitiveTypeCode.Int16 => "System.Int16",
            PrimitiveTypeCode.UInt16 => "System.UInt16",
            PrimitiveTypeCode.Int32 => "System.Int32",
            PrimitiveTypeCode.UInt32 => "System.UInt32",
            PrimitiveTypeCode.Int64 => "System.Int64",
            PrimitiveTypeCode.UInt64 => "System.UInt64",
            PrimitiveTypeCode.Single => "System.Single",
            PrimitiveTypeCode.Double => "System.Double",
            PrimitiveTypeCode.IntPtr => "System.IntPtr",
            PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
            PrimitiveTypeCode.String => "System.String",
            PrimitiveTypeCode.Object => "System.Object",
            PrimitiveTypeCode.TypedReference => "System.TypedReference",
            _ => "System.Void",
        });

        public ParentType GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ParentType GetModifiedType(ParentType modifier, ParentType unmodifiedType, bool isRequired) => unmodifiedType;

        public ParentType GetPinnedType(ParentType elementType) => elementType;

        public ParentType GetByReferenceType(ParentType elementType) => ParentType.Unusual;

        public ParentType GetPointerType(ParentType elementType) => ParentType.Unusual;

        public ParentType GetFunctionPointerType(MethodSignature<ParentType> signature) => ParentType.Unusual;

        public ParentType GetGenericMethodParameter(object? genericContext, int index) => ParentType.Unusual;

        public ParentType GetGenericTypeParameter(object? genericContext, int index) => ParentType.Unusual;
    }
}
