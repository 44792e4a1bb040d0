using System.Linq;
using System.Text;
using Weaver.Generators.Model;

namespace Weaver.Generators.Emitting;

/// <summary>
/// Writes a handler's generated part (its static <c>Registration</c>) and the assembly's <c>WeaverHandlers</c> class,
/// whose <c>RegisterAll</c> adds every handler's registration to a registry and, where the compilation sees dependency
/// injection, whose <c>AddWeaverHandlers</c> adds them to an application's services.
/// </summary>
internal static class HandlerEmitter
{
    public static string Emit(HandlerSpec spec)
    {
        var w = new SourceWriter();
        TypeShell.Open(w, spec.Namespace, spec.ContainingTypes, spec.Type);

        w.Open($"partial {spec.Type.Keyword} {spec.Type.Name}");
        w.Line("/// <summary>");
        w.Line($"/// The registration of task kind <c>{Xml(MachineEmitter.Literal(spec.Name))}</c>: each attempt creates a new <c>{Xml(spec.DisplayName)}</c>");
        if (spec.NeedsServices)
        {
            w.Line("/// in a new service scope, which passes its constructor's parameters,");
        }

        w.Line($"/// and runs it on the task's input (<c>{Xml(spec.InputDisplayName)}</c>), returning its result (<c>{Xml(spec.ResultDisplayName)}</c>).");
        if (spec.NeedsServices)
        {
            w.Line("/// Add it to a Weaver host's services, alone or with every handler of this assembly through");
            w.Line("/// <c>services.AddWeaverHandlers()</c>.");
        }
        else
        {
            w.Line("/// Add it to a <see cref=\"global::Weaver.HandlerRegistry\"/>, alone or with every handler of this assembly through");
            w.Line("/// <c>WeaverHandlers.RegisterAll</c>.");
        }

        w.Line("/// </summary>");
        var warnings = string.Join(", ", spec.SuppressedWarnings);
        if (warnings.Length > 0)
        {
            w.Line($"#pragma warning disable {warnings} // [Obsolete] types the handler's declaration names (the compiler warns there), or its [Obsolete] outcome methods");
        }

        w.Line(MachineEmitter.GeneratedCodeAttribute);
        var modifiers = spec.HidesInheritedRegistration ? "public new static" : "public static";
        w.Line($"{modifiers} global::Weaver.HandlerRegistration Registration {{ get; }} =");
        w.Line($"    global::Weaver.HandlerRegistration.{(spec.NeedsServices ? "CreateFromServices" : "Create")}<{spec.FullName}, {spec.InputType}, {spec.ResultType}>(");
        w.Line($"        {MachineEmitter.Literal(spec.Name)},");
        var end = spec.Outcomes.Count == 0 ? ");" : ",";
        if (spec.NeedsServices)
        {
            WriteServiceFactory(w, spec, end);
        }
        else
        {
            w.Line($"        static () => new {spec.FullName}(){end}");
        }

        if (spec.Outcomes.Count > 0)
        {
            WriteOutcomes(w, spec.Outcomes);
        }

        if (warnings.Length > 0)
        {
            w.Line($"#pragma warning restore {warnings}");
        }

        w.Close();
        TypeShell.Close(w, spec.Namespace, spec.ContainingTypes);
        return w.ToString();
    }

    /// <summary>The factory of a handler that takes services: its constructor, each parameter from the attempt's scope.</summary>
    private static void WriteServiceFactory(SourceWriter w, HandlerSpec spec, string end)
    {
        const string Extensions = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions";
        w.Line($"        static services => new {spec.FullName}(");
        for (var i = 0; i < spec.ConstructorServices.Count; i++)
        {
            var parameter = spec.ConstructorServices[i];
            var get = parameter.Optional ? "GetService" : "GetRequiredService";
            var separator = i == spec.ConstructorServices.Count - 1 ? ")" + end : ",";
            w.Line($"            {Extensions}.{get}<{parameter.Type}>(services){separator}");
        }
    }

    /// <summary>
    /// The registration's outcome callback: a static lambda that runs the methods of the task's terminal state, in
    /// order. It is <c>async</c> only when a method returns a task, since an <c>async</c> lambda without
    /// <c>await</c> is warning CS1998.
    /// </summary>
    private static void WriteOutcomes(SourceWriter w, EquatableArray<OutcomeSpec> outcomes)
    {
        var awaits = outcomes.Any(o => o.Calls.Any(c => c.IsAwaited));
        w.Line($"        static {(awaits ? "async " : string.Empty)}(handler, task, cancellationToken) =>");
        w.Line("        {");
        w.Line("            switch (task.State)");
        w.Line("            {");
        foreach (var outcome in outcomes)
        {
            w.Line($"                case global::Weaver.TaskLifecycle.State.{outcome.State}:");
            foreach (var call in outcome.Calls)
            {
                var arguments = call.TakesCancellationToken ? "task, cancellationToken" : "task";
                w.Line(call.IsAwaited
                    ? $"                    await handler.{call.Method}({arguments}).ConfigureAwait(false);"
                    : $"                    handler.{call.Method}({arguments});");
            }

            w.Line("                    break;");
        }

        w.Line("            }");
        if (!awaits)
        {
            w.Line();
            w.Line("            return default;");
        }

        w.Line("        });");
    }

    public static string EmitRegistry(HandlerRegistrySpec spec)
    {
        var w = new SourceWriter();
        w.Line("// <auto-generated/>");
        w.Line("#nullable enable");
        w.Line();
        w.Open($"namespace {spec.Namespace}");
        w.Line("/// <summary>The task handlers of this assembly: every <c>[TaskHandler]</c> class, as Weaver's generator found them.</summary>");
        w.Open("public static partial class WeaverHandlers");
        w.Line("/// <summary>");
        w.Line("/// Adds the <c>Registration</c> of every task handler of this assembly to <paramref name=\"registry\"/>, in order of");
        w.Line("/// their names. Call it once per registry, at startup.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"registry\">The registry to fill.</param>");
        w.Line("/// <returns><paramref name=\"registry\"/>, to chain calls.</returns>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">One of the names is already registered in <paramref name=\"registry\"/>.</exception>");
        w.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"registry\"/> is null.</exception>");
        w.Line(MachineEmitter.GeneratedCodeAttribute);
        w.Open("public static global::Weaver.HandlerRegistry RegisterAll(global::Weaver.HandlerRegistry registry)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(registry);");
        WriteEachHandler(w, spec.Handlers, toServices: false, static registration => $"registry.Add({registration});");

        w.Line("return registry;");
        w.Close();
        if (spec.AddsServices)
        {
            WriteAddWeaverHandlers(w, spec.Handlers);
        }

        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>
    /// <c>services.AddWeaverHandlers()</c>: the same handlers as <c>RegisterAll</c>, added to an application's services
    /// through the runtime's <c>AddWeaverHandler</c>, for the host <c>services.AddWeaver(...)</c> sets up.
    /// </summary>
    private static void WriteAddWeaverHandlers(SourceWriter w, EquatableArray<HandlerRegistryEntry> handlers)
    {
        const string ServiceCollection = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection";
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Adds every task handler of this assembly to <paramref name=\"services\"/>, for the Weaver host that");
        w.Line("/// <c>services.AddWeaver(...)</c> sets up to run. Calling it more than once adds each handler once.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"services\">The application's services.</param>");
        w.Line("/// <returns><paramref name=\"services\"/>, to chain calls.</returns>");
        w.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"services\"/> is null.</exception>");
        w.Line(MachineEmitter.GeneratedCodeAttribute);
        w.Open($"public static {ServiceCollection} AddWeaverHandlers(this {ServiceCollection} services)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(services);");
        WriteEachHandler(
            w,
            handlers,
            toServices: true,
            static registration => $"global::Microsoft.Extensions.DependencyInjection.WeaverServiceCollectionExtensions.AddWeaverHandler(services, {registration});");
        w.Line("return services;");
        w.Close();
    }

    /// <summary>
    /// One statement per handler, made by <paramref name="statement"/> from its <c>Registration</c>; an [Obsolete] handler's
    /// within its pragmas. A handler that takes services goes only <paramref name="toServices"/>: a registry alone cannot run it.
    /// </summary>
    private static void WriteEachHandler(SourceWriter w, EquatableArray<HandlerRegistryEntry> handlers, bool toServices, System.Func<string, string> statement)
    {
        foreach (var handler in handlers)
        {
            var name = MachineEmitter.Literal(handler.Name);
            if (handler.NeedsServices && !toServices)
            {
                w.Line($"// {name}: not added here, because {handler.FullName} takes services in its constructor; AddWeaverHandlers adds it for a Weaver host.");
                continue;
            }

            if (handler.Reference.IsError)
            {
                w.Line($"// {name}: not registered, because {handler.FullName} is [Obsolete] as an error, so naming it here would not compile.");
                continue;
            }

            var warnings = string.Join(", ", handler.Reference.Warnings);
            if (warnings.Length > 0)
            {
                w.Line($"#pragma warning disable {warnings} // the handler is [Obsolete], but still runs the tasks of its kind");
            }

            w.Line($"{statement($"{handler.FullName}.Registration")} // {name}");
            if (warnings.Length > 0)
            {
                w.Line($"#pragma warning restore {warnings}");
            }
        }
    }

    /// <summary>Escapes text for an XML doc comment (the text is already free of line breaks).</summary>
    private static string Xml(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return result.ToString();
    }
}
