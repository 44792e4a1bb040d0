using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Weaver.Generators.Diagnostics;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Reads one <c>[TaskHandler]</c> class into a <see cref="HandlerSpec"/>, or into the diagnostics that say what is
/// wrong with it. It never throws on bad input: half-typed code gives a diagnostic or, where the compiler already
/// reports an error, no output.
/// </summary>
internal static class HandlerParser
{
    public const string TaskHandlerAttributeName = "Weaver.TaskHandlerAttribute";
    public const string HandlerInterfaceName = "Weaver.ITaskHandler`2";
    public const string RegistrationTypeName = "Weaver.HandlerRegistration";

    /// <summary>The static property every handler gets.</summary>
    public const string RegistrationProperty = "Registration";

    /// <summary>Names no type may have (CS9056, CS9029, CS9062): the compiler reports them, and a generated part would repeat the error.</summary>
    private static readonly HashSet<string> ReservedTypeNames = new() { "file", "required", "scoped" };

    /// <summary>How many base handlers deep the check for an inherited <c>Registration</c> looks.</summary>
    private const int MaxBaseHandlerDepth = 16;

    /// <summary>Parses the class <paramref name="context"/> targets, or returns <see langword="null"/> when there is nothing to say.</summary>
    public static HandlerParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || context.Attributes.IsEmpty
            || !IsFirstApplication(type, context.Attributes[0]))
        {
            // Not a class: [TaskHandler] is only valid on classes (CS0592). A second [TaskHandler] is CS0579.
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        var symbols = new Symbols(compilation);
        if (symbols.HandlerInterface is null || symbols.Registration is null)
        {
            // A Weaver runtime without handler registration: there is nothing generated code could call.
            return null;
        }

        return Parse(type, declaration, context.Attributes[0], symbols, compilation, context.SemanticModel, depth: 0, cancellationToken);
    }

    /// <summary>Where a handler's name is written: its <c>[TaskHandler(...)]</c> argument, or the attribute when it has none.</summary>
    public static Location? NameLocation(AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        return syntax.ArgumentList?.Arguments.FirstOrDefault()?.Expression.GetLocation() ?? syntax.GetLocation();
    }

    /// <summary>The <c>[TaskHandler]</c> that <paramref name="type"/> itself carries, if any.</summary>
    public static AttributeData? HandlerAttribute(INamedTypeSymbol type, INamedTypeSymbol? attributeType) =>
        attributeType is null
            ? null
            : type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));

    private static HandlerParseResult Parse(
        INamedTypeSymbol type,
        TypeDeclarationSyntax declaration,
        AttributeData attribute,
        Symbols symbols,
        Compilation compilation,
        SemanticModel? semanticModel,
        int depth,
        CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (!SymbolNames.IsWellFormed(type) || !HasUniqueName(type) || ContainingChain(type).Any(t => ReservedTypeNames.Contains(t.Name)))
        {
            return new HandlerParseResult(null, null, EquatableArray<DiagnosticInfo>.Empty);
        }

        var location = declaration.Identifier.GetLocation();
        var kindProblem = KindProblem(type);
        if (kindProblem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(HandlerDiagnostics.HandlerKindNotSupported, location, type.Name, kindProblem));
        }

        CheckPartial(declaration, type.Name, diagnostics);
        if (compilation is CSharpCompilation { LanguageVersion: < LanguageVersion.CSharp9 })
        {
            diagnostics.Add(DiagnosticInfo.Create(HandlerDiagnostics.HandlerLanguageVersionTooLow, location, type.Name));
        }

        var name = ReadName(type, attribute, semanticModel, location, diagnostics, cancellationToken);
        var nameInfo = name is null
            ? null
            : new HandlerNameInfo(name, TypeDeclarations.MetadataName(type), type.ToDisplayString());

        // A static class cannot implement an interface (CS0714) nor be created: its kind says all there is to say.
        Signature? signature = null;
        EquatableArray<ServiceParameterSpec>? services = EquatableArray<ServiceParameterSpec>.Empty;
        if (!type.IsStatic)
        {
            signature = ReadSignature(type, symbols, compilation, location, diagnostics);
            if (!type.IsAbstract)
            {
                services = CheckConstructor(type, compilation, location, diagnostics);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var hidesInherited = CheckMembers(type, symbols, compilation, location, diagnostics, depth, cancellationToken);
        var outcomes = type.IsStatic ? default : OutcomeParser.Read(type, compilation, diagnostics, cancellationToken);

        if (diagnostics.Count > 0 || name is null || signature is null || services is not { } constructorServices || outcomes is not { } handlerOutcomes)
        {
            return new HandlerParseResult(null, nameInfo, diagnostics.ToEquatableArray());
        }

        var spec = new HandlerSpec(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes: TypeDeclarations.ContainingTypes(type).Select(TypeDeclarations.Of).ToEquatableArray(),
            Type: TypeDeclarations.Of(type),
            DisplayName: type.ToDisplayString(),
            FullName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            Name: name,
            InputType: signature.Input.ToDisplayString(SymbolNames.TypeFormat),
            ResultType: signature.Result.ToDisplayString(SymbolNames.TypeFormat),
            InputDisplayName: signature.Input.ToDisplayString(),
            ResultDisplayName: signature.Result.ToDisplayString(),
            HidesInheritedRegistration: hidesInherited,
            SuppressedWarnings: signature.Warnings.Concat(handlerOutcomes.ObsoleteWarnings).Distinct().OrderBy(w => w, System.StringComparer.Ordinal).ToEquatableArray(),
            Reference: ObsoleteTypes.OfReference(type),
            Outcomes: handlerOutcomes.Outcomes,
            ConstructorServices: constructorServices,
            HintName: TypeDeclarations.HintName(type, ".TaskHandler.g.cs"));
        return new HandlerParseResult(spec, nameInfo, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>
    /// Whether the handler's full name means it alone, as the generated code needs: two types or members of one name
    /// in one place are already CS0101 or CS0102 (or CS0436 beside a referenced assembly's type), and the generated
    /// parts would be ambiguous too.
    /// </summary>
    private static bool HasUniqueName(INamedTypeSymbol type)
    {
        foreach (var t in ContainingChain(type))
        {
            var siblings = t.ContainingType is { } outer
                ? outer.GetMembers(t.Name)
                : t.ContainingNamespace?.GetMembers(t.Name).Cast<ISymbol>() ?? Enumerable.Empty<ISymbol>();

            // Another type of the same arity, or any member or namespace of that name (a type of another arity is fine).
            if (siblings.Count(s => s is not INamedTypeSymbol named || named.Arity == t.Arity) > 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="attribute"/> is the type's first <c>[TaskHandler]</c> (several are CS0579).</summary>
    private static bool IsFirstApplication(INamedTypeSymbol type, AttributeData attribute)
    {
        var first = type.GetAttributes().FirstOrDefault(a =>
            SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute.AttributeClass));
        return first is null || first.ApplicationSyntaxReference?.Span == attribute.ApplicationSyntaxReference?.Span
            && first.ApplicationSyntaxReference?.SyntaxTree == attribute.ApplicationSyntaxReference?.SyntaxTree;
    }

    private static string? KindProblem(INamedTypeSymbol type)
    {
        if (type.IsStatic)
        {
            return "a static class (a handler implements ITaskHandler<TInput, TResult>, and Weaver creates one per attempt)";
        }

        if (type.IsAbstract)
        {
            return "abstract (Weaver creates a new handler for every attempt)";
        }

        if (ContainingChain(type).Any(t => t.IsFileLocal))
        {
            return "a file-local type, or nested in one (its generated part lives in another file)";
        }

        if (type.TypeParameters.Length > 0)
        {
            return "generic (a task kind runs one concrete class; declare a non-generic handler per type argument, for example deriving from this one)";
        }

        if (type.ContainingType is not null && ContainingChain(type.ContainingType).FirstOrDefault(t => t.TypeParameters.Length > 0) is { } generic)
        {
            return $"nested in generic type '{generic.ToDisplayString()}' (a task kind runs one concrete class)";
        }

        foreach (var t in ContainingChain(type))
        {
            var keyword = t.DeclaredAccessibility switch
            {
                Accessibility.Private => "private",
                Accessibility.Protected => "protected",
                Accessibility.ProtectedAndInternal => "private protected",
                _ => null,
            };
            if (keyword is not null)
            {
                return SymbolEqualityComparer.Default.Equals(t, type)
                    ? $"{keyword} (the generated WeaverHandlers class, outside it, could not reach it)"
                    : $"nested in {keyword} type '{t.Name}' (the generated WeaverHandlers class could not reach it)";
            }
        }

        return null;
    }

    private static void CheckPartial(TypeDeclarationSyntax declaration, string handlerName, List<DiagnosticInfo> diagnostics)
    {
        for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax type && !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    HandlerDiagnostics.HandlerNotPartial, type.Identifier.GetLocation(), type.Identifier.ValueText, handlerName));
            }
        }
    }

    /// <summary>The task kind, when it is a constant, non-blank string; otherwise reports why (unless the compiler already does).</summary>
    private static string? ReadName(
        INamedTypeSymbol type,
        AttributeData attribute,
        SemanticModel? semanticModel,
        Location fallback,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1)
        {
            return null; // arguments no constructor takes: the compiler already reports them
        }

        var argument = attribute.ConstructorArguments[0];
        string problem;
        if (argument.Kind == TypedConstantKind.Error)
        {
            if (!IsNonConstantString(attribute, semanticModel, cancellationToken))
            {
                return null; // an argument that does not compile: the compiler's error stands
            }

            problem = "is not a constant";
        }
        else if (argument.Value is string value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            problem = value.Length == 0 ? "is empty" : "is only white space";
        }
        else if (argument.Value is null)
        {
            problem = "is null";
        }
        else
        {
            return null;
        }

        diagnostics.Add(DiagnosticInfo.Create(
            HandlerDiagnostics.HandlerNameInvalid, NameLocation(attribute, cancellationToken) ?? fallback, type.Name, problem));
        return null;
    }

    /// <summary>An argument that binds to a string but is no constant (CS0182), as opposed to one that does not bind at all.</summary>
    private static bool IsNonConstantString(AttributeData attribute, SemanticModel? semanticModel, CancellationToken cancellationToken)
    {
        if (semanticModel is null
            || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax
            || syntax.SyntaxTree != semanticModel.SyntaxTree
            || syntax.ArgumentList?.Arguments.FirstOrDefault()?.Expression is not { } expression)
        {
            return false;
        }

        var type = semanticModel.GetTypeInfo(expression, cancellationToken).ConvertedType;
        return type is { SpecialType: SpecialType.System_String }
            && !semanticModel.GetConstantValue(expression, cancellationToken).HasValue;
    }

    /// <summary>The one <c>ITaskHandler&lt;TInput, TResult&gt;</c> the handler implements, or <see langword="null"/>.</summary>
    private static Signature? ReadSignature(
        INamedTypeSymbol type, Symbols symbols, Compilation compilation, Location location, List<DiagnosticInfo> diagnostics)
    {
        var implementations = type.AllInterfaces
            .Where(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, symbols.HandlerInterface))
            .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .ToList();

        if (implementations.Any(i => i.TypeArguments.Any(a => !IsUsableTypeArgument(a, depth: 0))))
        {
            return null; // an unresolved or impossible type argument: the compiler already reports it
        }

        if (implementations.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                HandlerDiagnostics.HandlerInterfaceInvalid,
                location,
                type.Name,
                "does not implement ITaskHandler<TInput, TResult>; implement it once, with the task's input and result types"));
            return null;
        }

        if (implementations.Count > 1)
        {
            var list = string.Join(", ", implementations.Select(i => i.ToDisplayString()));
            diagnostics.Add(DiagnosticInfo.Create(
                HandlerDiagnostics.HandlerInterfaceInvalid,
                location,
                type.Name,
                $"implements ITaskHandler<TInput, TResult> more than once ({list}); keep one, and give each other input a handler and task kind of its own"));
            return null;
        }

        var implementation = implementations[0];
        var input = implementation.TypeArguments[0];
        var result = implementation.TypeArguments[1];
        var hidden = new[] { input, result }.FirstOrDefault(t => !compilation.IsSymbolAccessibleWithin(t, type));
        if (hidden is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                HandlerDiagnostics.HandlerInterfaceInvalid,
                location,
                type.Name,
                $"implements '{implementation.ToDisplayString()}', but '{hidden.ToDisplayString()}' is not accessible in '{type.Name}', where the generated registration names it; make it accessible to '{type.Name}'"));
            return null;
        }

        var warnings = EquatableArray<string>.Empty;
        if (!ObsoleteTypes.IsObsoleteContext(type))
        {
            var use = ObsoleteTypes.InTypes(input, result);
            if (use.IsError)
            {
                return null; // CS0619 where the handler's declaration names the type: the compiler's error stands
            }

            warnings = use.Warnings;
        }

        return new Signature(input, result, warnings);
    }

    /// <summary>Whether generated code can pass <paramref name="type"/> as a type argument.</summary>
    private static bool IsUsableTypeArgument(ITypeSymbol type, int depth) => depth <= 32 && type switch
    {
        { TypeKind: TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic } => false, // dynamic: CS1966
        { IsRefLikeType: true } or { IsStatic: true } or { SpecialType: SpecialType.System_Void } => false, // CS9244, CS0718
        IArrayTypeSymbol array => IsUsableTypeArgument(array.ElementType, depth + 1),
        // A file-local type cannot be named from the generated file (nor in a non-file-local handler's signature).
        INamedTypeSymbol named => !ContainingChain(named).Any(t => t.IsFileLocal)
            && AllTypeArguments(named).All(a => IsUsableTypeArgument(a, depth + 1)),
        _ => true,
    };

    private static IEnumerable<ITypeSymbol> AllTypeArguments(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            foreach (var argument in t.TypeArguments)
            {
                yield return argument;
            }
        }
    }

    /// <summary>
    /// How the generated factory creates the handler, compiling cleanly inside it (so any accessibility will do):
    /// <c>new T()</c> with a parameterless constructor, not obsolete, and no required member left unset; or, where the
    /// compilation sees dependency injection and the handler has no parameterless constructor, its only constructor,
    /// each parameter passed from the attempt's service scope.
    /// </summary>
    /// <returns>
    /// The constructor's parameters to pass from services (empty for <c>new T()</c>); null, with WVR0025 reported or the
    /// compiler's own error left to it, when the handler cannot be created.
    /// </returns>
    private static EquatableArray<ServiceParameterSpec>? CheckConstructor(
        INamedTypeSymbol type, Compilation compilation, Location location, List<DiagnosticInfo> diagnostics)
    {
        var parameterless = type.InstanceConstructors.Where(c => c.Parameters.Length == 0).ToList();
        if (parameterless.Count > 1)
        {
            return null; // declared twice: the compiler reports CS0111, and 'new T()' would be ambiguous
        }

        string problem;
        if (parameterless.FirstOrDefault() is not { } constructor)
        {
            // A record's copy constructor is the compiler's, not a way to create a handler.
            var declared = type.InstanceConstructors.Where(c => !(c.IsImplicitlyDeclared && c.Parameters.Length == 1)).ToList();
            if (!ServiceCollectionSupport.IsAvailable(compilation))
            {
                problem = "its constructors all take parameters, and the project does not see dependency injection to pass them";
            }
            else if (declared.Count != 1)
            {
                problem = "it has several constructors, all with parameters; with dependency injection Weaver calls a handler's only constructor";
            }
            else if (ServiceParameters(type, declared[0], out problem) is { } parameters)
            {
                return parameters;
            }
        }
        else if (ConstructorProblem(type, constructor, "parameterless constructor") is { } parameterlessProblem)
        {
            problem = parameterlessProblem;
        }
        else
        {
            return EquatableArray<ServiceParameterSpec>.Empty;
        }

        diagnostics.Add(DiagnosticInfo.Create(HandlerDiagnostics.HandlerNoParameterlessConstructor, location, type.Name, problem));
        return null;
    }

    /// <summary>Why <paramref name="constructor"/> cannot be called cleanly from generated code, or null.</summary>
    private static string? ConstructorProblem(INamedTypeSymbol type, IMethodSymbol constructor, string which)
    {
        if (HasAttribute(constructor, "System.ObsoleteAttribute"))
        {
            return $"its {which} is [Obsolete]";
        }

        if (HasRequiredMembers(type) && !HasAttribute(constructor, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute"))
        {
            return $"it has required members, and its {which} is not [SetsRequiredMembers]";
        }

        return null;
    }

    /// <summary>
    /// The services the handler's only constructor takes: a parameter of a nullable reference type, or a reference type
    /// whose default is null, is optional (<c>GetService</c>); any other is required (<c>GetRequiredService</c>).
    /// </summary>
    private static EquatableArray<ServiceParameterSpec>? ServiceParameters(INamedTypeSymbol type, IMethodSymbol constructor, out string problem)
    {
        problem = ConstructorProblem(type, constructor, "constructor") ?? string.Empty;
        if (problem.Length > 0)
        {
            return null;
        }

        var parameters = new List<ServiceParameterSpec>();
        foreach (var parameter in constructor.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                problem = $"its constructor's parameter '{parameter.Name}' is passed by reference, which dependency injection cannot do";
                return null;
            }

            if (parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol or ITypeParameterSymbol || parameter.Type.IsRefLikeType)
            {
                problem = $"its constructor's parameter '{parameter.Name}' is of type '{parameter.Type.ToDisplayString()}', which no service can be";
                return null;
            }

            var nullable = parameter.Type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated;
            var defaultsToNull = parameter.Type.IsReferenceType && parameter.HasExplicitDefaultValue && parameter.ExplicitDefaultValue is null;
            if (parameter.HasExplicitDefaultValue && !defaultsToNull)
            {
                problem = $"its constructor's parameter '{parameter.Name}' has a default value other than null, which a service cannot stand for; take the value from a service or an options type";
                return null;
            }

            var serviceType = parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            parameters.Add(new ServiceParameterSpec(serviceType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), nullable || defaultsToNull));
        }

        return parameters.ToEquatableArray();
    }

    /// <summary>
    /// Reports members that would clash with the generated <c>Registration</c>; returns whether a base handler's
    /// <c>Registration</c> is inherited, so that the generated one hides it with <c>new</c>.
    /// </summary>
    private static bool CheckMembers(
        INamedTypeSymbol type,
        Symbols symbols,
        Compilation compilation,
        Location location,
        List<DiagnosticInfo> diagnostics,
        int depth,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (type.Name == RegistrationProperty)
        {
            problems.Add($"is itself named '{RegistrationProperty}' (a member cannot have its type's name)");
        }

        if (type.GetMembers(RegistrationProperty).Any())
        {
            problems.Add($"already has a member named '{RegistrationProperty}'");
        }

        if (HandlerAttribute(type, symbols.TaskMachineAttribute) is not null && type.GetMembers("Try" + RegistrationProperty).Any())
        {
            problems.Add($"is also a task machine whose trigger 'Try{RegistrationProperty}' generates a method named '{RegistrationProperty}'");
        }

        var hides = false;
        for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            if (IsGeneratedHandler(baseType.OriginalDefinition, symbols, compilation, depth, cancellationToken))
            {
                hides = true;
                break;
            }

            if (baseType.GetMembers(RegistrationProperty).Any(m => compilation.IsSymbolAccessibleWithin(m, type)))
            {
                problems.Add($"inherits a member named '{RegistrationProperty}' from '{baseType.ToDisplayString()}'");
                break;
            }
        }

        foreach (var problem in problems)
        {
            diagnostics.Add(DiagnosticInfo.Create(HandlerDiagnostics.HandlerMemberConflict, location, type.Name, problem));
        }

        return hides;
    }

    /// <summary>
    /// Whether <paramref name="type"/> is a handler with a <c>Registration</c>: one from a referenced assembly that
    /// has it, or one in this compilation that this generator will register (parsed the same way).
    /// </summary>
    private static bool IsGeneratedHandler(
        INamedTypeSymbol type, Symbols symbols, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        var attribute = HandlerAttribute(type, symbols.TaskHandlerAttribute);
        if (attribute is null)
        {
            return false;
        }

        if (!SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly))
        {
            return type.GetMembers(RegistrationProperty).Any();
        }

        if (depth >= MaxBaseHandlerDepth
            || type.TypeKind != TypeKind.Class
            || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent is not TypeDeclarationSyntax declaration)
        {
            return false;
        }

        return Parse(type, declaration, attribute, symbols, compilation, semanticModel: null, depth + 1, cancellationToken).Spec is not null;
    }

    private static bool HasRequiredMembers(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol symbol, string fullName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == fullName);

    private static IEnumerable<INamedTypeSymbol> ContainingChain(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            yield return t;
        }
    }

    /// <summary>The handler's input and result types, and the warnings naming them causes.</summary>
    private sealed class Signature(ITypeSymbol input, ITypeSymbol result, EquatableArray<string> warnings)
    {
        public ITypeSymbol Input { get; } = input;

        public ITypeSymbol Result { get; } = result;

        public EquatableArray<string> Warnings { get; } = warnings;
    }

    /// <summary>The Weaver types a handler declaration involves, resolved once per parse.</summary>
    private sealed class Symbols
    {
        public Symbols(Compilation compilation)
        {
            TaskHandlerAttribute = compilation.GetTypeByMetadataName(TaskHandlerAttributeName);
            TaskMachineAttribute = compilation.GetTypeByMetadataName(KnownSymbols.TaskMachineAttributeName);
            HandlerInterface = compilation.GetTypeByMetadataName(HandlerInterfaceName);
            Registration = compilation.GetTypeByMetadataName(RegistrationTypeName);
        }

        public INamedTypeSymbol? TaskHandlerAttribute { get; }

        public INamedTypeSymbol? TaskMachineAttribute { get; }

        public INamedTypeSymbol? HandlerInterface { get; }

        public INamedTypeSymbol? Registration { get; }
    }
}
