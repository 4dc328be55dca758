using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AutoSpec.Tests.Support;

/// <summary>
/// Finds, in compiled assemblies, the code that makes TorchSharp create a temporary <c>Scalar</c> from a .NET number
/// (<c>Scalar.op_Implicit</c>). Nothing keeps such a temporary alive during the native call it is passed to, so a
/// collection on another thread can free it while libtorch reads it (docs/TORCHSHARP.md). The conversion may also
/// hide inside TorchSharp (<c>t * 2.0</c>, <c>t.add(u)</c>, <c>Adam.step</c>, <c>LeakyReLU.forward</c>): the scan
/// follows TorchSharp's own calls to find every TorchSharp method that converts, and every TorchSharp type with such
/// a virtual method (a module's forward, an optimiser's step), whose construction is then flagged too. Reads IL with
/// System.Reflection.Metadata: nothing is loaded or run.
/// </summary>
internal sealed class ImplicitScalarScanner
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private readonly HashSet<string> _converting;
    private readonly Dictionary<string, HashSet<string>> _convertingTypes;

    /// <summary>Analyses TorchSharp once: which of its methods convert numbers to Scalars, directly or through calls.</summary>
    public ImplicitScalarScanner(string torchSharpPath)
    {
        using var stream = File.OpenRead(torchSharpPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var keys = new Dictionary<MethodDefinitionHandle, string>();
        var callers = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        var virtuals = new Dictionary<MethodDefinitionHandle, string>();
        var work = new Queue<MethodDefinitionHandle>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            foreach (var handle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(handle);
                keys[handle] = Key(reader, handle);
                if ((method.Attributes & MethodAttributes.Virtual) != 0)
                {
                    virtuals[handle] = TypeName(reader, typeHandle);
                }
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }
                bool direct = false;
                foreach (var target in Targets(pe.GetMethodBody(method.RelativeVirtualAddress)))
                {
                    if (IsImplicitScalar(reader, target))
                    {
                        direct = true;
                    }
                    else if (target.Kind == HandleKind.MethodDefinition)
                    {
                        var callee = (MethodDefinitionHandle)target;
                        if (!callers.TryGetValue(callee, out var list))
                        {
                            callers[callee] = list = [];
                        }
                        list.Add(handle);
                    }
                }
                if (direct)
                {
                    work.Enqueue(handle);
                }
            }
        }
        var converting = new HashSet<MethodDefinitionHandle>();
        while (work.TryDequeue(out var handle))
        {
            if (converting.Add(handle) && callers.TryGetValue(handle, out var list))
            {
                list.ForEach(work.Enqueue);
            }
        }
        _converting = converting.Select(h => keys[h]).ToHashSet();
        _convertingTypes = converting.Where(virtuals.ContainsKey)
            .GroupBy(h => virtuals[h])
            .ToDictionary(g => g.Key, g => g.Select(h => reader.GetString(reader.GetMethodDefinition(h).Name)).ToHashSet());
    }

    /// <summary>
    /// The methods of an assembly that convert numbers to Scalars, each with what it calls: "Type.Method → callee".
    /// </summary>
    public IReadOnlyList<string> Scan(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var found = new List<string>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var declared = type.GetMethods().Select(h => reader.GetString(reader.GetMethodDefinition(h).Name)).ToHashSet();
            foreach (var handle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(handle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }
                foreach (var target in Targets(pe.GetMethodBody(method.RelativeVirtualAddress)))
                {
                    if (IsOverridingBaseConstructor(reader, type, method, declared, target))
                    {
                        continue;
                    }
                    if (Converts(reader, target) is { } why)
                    {
                        found.Add($"{TypeName(reader, typeHandle)}.{reader.GetString(method.Name)} → {why}");
                    }
                }
            }
        }
        return found.Distinct().ToList();
    }

    /// <summary>
    /// Whether a call is a constructor's call of its base constructor, where the base type's converting virtual
    /// methods are all overridden by the derived type (as the held-Scalar optimisers do).
    /// </summary>
    private bool IsOverridingBaseConstructor(MetadataReader reader, TypeDefinition type, MethodDefinition caller,
        HashSet<string> declared, EntityHandle target)
    {
        if (reader.GetString(caller.Name) != ".ctor" || target.Kind != HandleKind.MemberReference || type.BaseType.IsNil)
        {
            return false;
        }
        var member = reader.GetMemberReference((MemberReferenceHandle)target);
        string owner = ParentName(reader, member.Parent);
        return reader.GetString(member.Name) == ".ctor" && owner == ParentName(reader, type.BaseType)
            && _convertingTypes.TryGetValue(owner, out var methods) && methods.IsSubsetOf(declared);
    }

    /// <summary>Why a call target converts (a description), or null when it does not.</summary>
    private string? Converts(MetadataReader reader, EntityHandle target)
    {
        if (IsImplicitScalar(reader, target))
        {
            return "Scalar.op_Implicit";
        }
        if (target.Kind != HandleKind.MemberReference)
        {
            return null;
        }
        var member = reader.GetMemberReference((MemberReferenceHandle)target);
        if (member.GetKind() != MemberReferenceKind.Method)
        {
            return null;
        }
        string owner = ParentName(reader, member.Parent);
        var signature = member.DecodeMethodSignature(Names.Instance, null);
        string key = $"{owner}::{reader.GetString(member.Name)}({string.Join(",", signature.ParameterTypes)})";
        if (_converting.Contains(key))
        {
            return key;
        }
        if (reader.GetString(member.Name) == ".ctor" && _convertingTypes.ContainsKey(owner))
        {
            return $"new {owner} (a virtual method converts)";
        }
        string returned = StripGenerics(signature.ReturnType);
        return _convertingTypes.ContainsKey(returned) ? $"{key} returns {returned} (a virtual method converts)" : null;
    }

    private static bool IsImplicitScalar(MetadataReader reader, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                return reader.GetString(member.Name) == "op_Implicit" && ParentName(reader, member.Parent) == "TorchSharp.Scalar";
            case HandleKind.MethodDefinition:
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                return reader.GetString(method.Name) == "op_Implicit" && TypeName(reader, method.GetDeclaringType()) == "TorchSharp.Scalar";
            default:
                return false;
        }
    }

    private static string Key(MetadataReader reader, MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(Names.Instance, null);
        return $"{TypeName(reader, method.GetDeclaringType())}::{reader.GetString(method.Name)}({string.Join(",", signature.ParameterTypes)})";
    }

    /// <summary>The method tokens an IL body refers to (call, callvirt, newobj, ldftn, ldvirtftn).</summary>
    private static List<EntityHandle> Targets(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        var targets = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE)
            {
                code = (short)(0xFE00 | il.ReadByte());
            }
            switch (Operands[code])
            {
                case OperandType.InlineMethod:
                    targets.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    int count = il.ReadInt32();
                    il.Offset += 4 * count;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
        return targets;
    }

    private static string ParentName(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => TypeName(reader, (TypeReferenceHandle)parent),
        HandleKind.TypeDefinition => TypeName(reader, (TypeDefinitionHandle)parent),
        HandleKind.TypeSpecification => StripGenerics(reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(Names.Instance, null)),
        _ => "?",
    };

    private static string StripGenerics(string name) => name.IndexOf('<') is var i and >= 0 ? name[..i] : name;

    private static string TypeName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}"
            : $"{TypeName(reader, declaring)}+{reader.GetString(type.Name)}";
    }

    private static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{TypeName(reader, (TypeReferenceHandle)type.ResolutionScope)}+{reader.GetString(type.Name)}"
            : $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
    }

    /// <summary>Type names as text, the same for a definition and a reference to it.</summary>
    private sealed class Names : ISignatureTypeProvider<string, object?>
    {
        public static readonly Names Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(reader, handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeName(reader, handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";
        public string GetGenericMethodParameter(object? genericContext, int index) => $"!!{index}";
        public string GetGenericTypeParameter(object? genericContext, int index) => $"!{index}";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
