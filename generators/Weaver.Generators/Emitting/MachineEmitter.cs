using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Weaver.Generators.Model;

namespace Weaver.Generators.Emitting;

/// <summary>
/// Writes the generated half of one machine: the state field, <c>Current</c>, the triggers, the metadata, and
/// the <c>ITaskMachine</c> implementation.
/// </summary>
/// <remarks>
/// The state lives in one <c>int</c> holding <c>(int)state ^ (int)initialState</c>. That encoding makes a zeroed
/// machine (a struct's <c>default</c>, or any constructor the user writes) start in the initial state without a
/// field initializer, which structs could not have without a constructor.
/// </remarks>
internal static class MachineEmitter
{
    public static string Emit(MachineSpec spec)
    {
        var w = new SourceWriter();
        TypeShell.Open(w, spec.Namespace, spec.ContainingTypes, spec.Type);

        if (spec.NeedsAutoLayout)
        {
            w.Line("[global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Auto)]");
        }

        w.Open($"partial {spec.Type.Keyword} {spec.Type.Name} : global::Weaver.ITaskMachine<{spec.FullName}, {spec.FullStateType}>");
        WriteState(w, spec);
        foreach (var trigger in spec.Triggers)
        {
            TriggerEmitter.Write(w, spec, trigger);
        }

        WriteTransitionedHook(w, spec);
        WriteMatchAndSwitch(w, spec);
        WriteMetadata(w, spec);
        WriteRestore(w, spec);
        WriteClaimTable(w, spec);
        WriteHelpers(w, spec);
        w.Close();
        TypeShell.Close(w, spec.Namespace, spec.ContainingTypes);
        return w.ToString();
    }

    internal static string GeneratedCodeAttribute =>
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"Weaver.Generators\", \"{typeof(MachineEmitter).Assembly.GetName().Version}\")]";

    internal static string State(MachineSpec spec, int index) => $"{spec.StateType}.{spec.States[index].Identifier}";

    private static StateSpec Initial(MachineSpec spec) => spec.States.First(s => s.IsInitial);

    private static void WriteState(SourceWriter w, MachineSpec spec)
    {
        var initial = Initial(spec);
        w.Line($"// (int)state ^ (int){spec.StateType}.{initial.Identifier}: zero is the initial state, so every new instance starts there.");
        w.Line(GeneratedCodeAttribute);
        w.Line($"private int {GeneratedNames.StateField};");
        w.Line();
        w.Line("/// <summary>The current state. Reading it is a volatile read; triggers change it atomically.</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Line($"public {spec.StateType} Current => {GeneratedNames.Decode}(global::System.Threading.Volatile.Read(ref {GeneratedNames.StateField}));");
        w.Line();
        var terminals = spec.States.Where(s => s.IsTerminal).ToList();
        w.Line($"/// <summary>Whether the machine is in a terminal state ({string.Join(", ", terminals.Select(s => s.Name))}).</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Line("public bool IsTerminal => IsTerminalState(Current);");
        w.Line();
        w.Line($"/// <summary>The state every new {spec.DisplayName} starts in: {initial.Name}.</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Line($"public static {spec.StateType} InitialState => {spec.StateType}.{initial.Identifier};");
        w.Line();
        w.Line("/// <summary>Whether <paramref name=\"state\"/> is a terminal state of this machine.</summary>");
        w.Line("/// <param name=\"state\">The state to classify.</param>");
        w.Line(GeneratedCodeAttribute);
        var terminalPattern = string.Join(" or ", terminals.Select(s => $"{spec.StateType}.{s.Identifier}"));
        w.Line($"public static bool IsTerminalState({spec.StateType} state) => state is {terminalPattern};");
    }

    private static void WriteTransitionedHook(SourceWriter w, MachineSpec spec)
    {
        w.Line();
        w.Line("/// <summary>Called after every successful transition, on the thread that made it. Implement it to observe transitions.</summary>");
        w.Line($"partial void {GeneratedNames.TransitionedHook}({spec.StateType} from, {spec.StateType} to);");
    }

    private static void WriteMatchAndSwitch(SourceWriter w, MachineSpec spec)
    {
        var parameters = spec.States.Select(s => s.ParameterName).ToList();

        w.Line();
        w.Line("/// <summary>Returns the result of the function for the current state. Every state has its own parameter, so none can be forgotten.</summary>");
        w.Line(GeneratedCodeAttribute);
        var result = spec.ResultTypeParameter;
        w.Open($"public {result} Match<{result}>({string.Join(", ", parameters.Select(p => $"global::System.Func<{result}> " + p))})");
        WriteNullChecks(w, parameters);
        w.Line("return Current switch");
        w.Line("{");
        for (var i = 0; i < spec.States.Count; i++)
        {
            w.Line($"    {State(spec, i)} => {parameters[i]}(),");
        }

        w.Line($"    _ => throw {GeneratedNames.UnknownState}(Current),");
        w.Line("};");
        w.Close();

        w.Line();
        w.Line("/// <summary>Runs the action for the current state. Every state has its own parameter, so none can be forgotten.</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Open($"public void Switch({string.Join(", ", parameters.Select(p => "global::System.Action " + p))})");
        WriteNullChecks(w, parameters);
        w.Open("switch (Current)");
        for (var i = 0; i < spec.States.Count; i++)
        {
            w.Line($"case {State(spec, i)}:");
            w.Line($"    {parameters[i]}();");
            w.Line("    return;");
        }

        w.Line("default:");
        w.Line($"    throw {GeneratedNames.UnknownState}(Current);");
        w.Close();
        w.Close();
    }

    private static void WriteNullChecks(SourceWriter w, System.Collections.Generic.IEnumerable<string> parameters)
    {
        foreach (var parameter in parameters)
        {
            w.Line($"global::System.ArgumentNullException.ThrowIfNull({parameter});");
        }

        w.Line();
    }

    private static void WriteMetadata(SourceWriter w, MachineSpec spec)
    {
        w.Line();
        w.Line("/// <summary>Every declared transition, in declaration order.</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Weaver.TransitionInfo> Transitions { get; } =");
        w.Line("    global::System.Array.AsReadOnly(new global::Weaver.TransitionInfo[]");
        w.Line("    {");
        foreach (var trigger in spec.Triggers)
        {
            foreach (var t in trigger.Transitions)
            {
                var guard = t.Guard is null ? "null" : Literal(t.Guard);
                w.Line($"        new({Literal(trigger.Name)}, {Literal(spec.States[t.From].Name)}, {Literal(spec.States[t.To].Name)}, {guard}),");
            }
        }

        w.Line("    });");

        w.Line();
        w.Line("/// <summary>The machine as a Mermaid <c>stateDiagram-v2</c>.</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Line("public static string ToMermaid() =>");
        var lines = MermaidWriter.Lines(spec).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            w.Line($"    {Literal(lines[i] + "\n")}{(i == lines.Count - 1 ? ";" : " +")}");
        }
    }

    private static void WriteRestore(SourceWriter w, MachineSpec spec)
    {
        var self = spec.Type.Name;
        var initial = Initial(spec);
        if (spec.HasParameterlessConstructor)
        {
            w.Line();
            w.Line($"/// <summary>Creates a {spec.DisplayName} in <paramref name=\"state\"/>, as loaded from storage, without running a transition or its hooks.</summary>");
            w.Line("/// <param name=\"state\">The stored state; it must be one of the machine's states.</param>");
            w.Line(GeneratedCodeAttribute);
            w.Line($"public static {self} Restore({spec.StateType} state) => Restore(new {self}(), state);");
        }

        w.Line();
        w.Line($"/// <summary>Puts a {spec.DisplayName} that is still in its initial state into <paramref name=\"state\"/>, as loaded from storage, without running a transition or its hooks.</summary>");
        w.Line($"/// <param name=\"fresh\">A newly constructed {spec.DisplayName}, still in {initial.Name}.</param>");
        w.Line("/// <param name=\"state\">The stored state; it must be one of the machine's states.</param>");
        w.Line(GeneratedCodeAttribute);
        w.Open($"public static {self} Restore({self} fresh, {spec.StateType} state)");
        if (!spec.Type.IsValueType)
        {
            w.Line("global::System.ArgumentNullException.ThrowIfNull(fresh);");
        }

        var stateList = string.Join(", ", spec.States.Select(s => s.Name));
        w.Open($"if ({GeneratedNames.StateName}(state) is null)");
        w.Line($"throw new global::System.ArgumentOutOfRangeException(nameof(state), state, {Literal($"Not a state of {spec.DisplayName}; its states are {stateList}.")});");
        w.Close();
        w.Line();
        w.Open($"if (global::System.Threading.Interlocked.CompareExchange(ref fresh.{GeneratedNames.StateField}, {GeneratedNames.Encode}(state), 0) != 0)");
        w.Line("throw new global::System.ArgumentException(");
        w.Line($"    {Literal($"Restore needs a {spec.DisplayName} still in its initial state '{initial.Name}', but this one is in '")} + {GeneratedNames.StateName}(fresh.Current) + \"'.\",");
        w.Line("    nameof(fresh));");
        w.Close();
        w.Line();
        w.Line("return fresh;");
        w.Close();
    }

    /// <summary>A typed facade over the one claim-table core: keys are this machine's ids, nothing else changes.</summary>
    private static void WriteClaimTable(SourceWriter w, MachineSpec spec)
    {
        var key = $"global::Weaver.MachineKey<{spec.FullName}>";
        w.Line();
        w.Line($"/// <summary>Claims on {spec.DisplayName} tasks, keyed by their ids: Weaver's lock-free claim table, typed for this machine.</summary>");
        w.Line(GeneratedCodeAttribute);
        w.Open($"public sealed class {GeneratedNames.ClaimTable} : global::Weaver.ClaimTable<{key}>");
        w.Line("/// <summary>Creates an empty table.</summary>");
        w.Line("/// <param name=\"options\">Lease timing; <see cref=\"global::Weaver.LeaseOptions.Default\"/> when null.</param>");
        w.Line("/// <param name=\"timeProvider\">The clock; <see cref=\"global::System.TimeProvider.System\"/> when null.</param>");
        w.Line($"public {GeneratedNames.ClaimTable}(global::Weaver.LeaseOptions? options = null, global::System.TimeProvider? timeProvider = null)");
        w.Line("    : base(options, timeProvider)");
        w.Line("{");
        w.Line("}");
        w.Close();
    }

    private static void WriteHelpers(SourceWriter w, MachineSpec spec)
    {
        var initial = $"(int){spec.StateType}.{Initial(spec).Identifier}";
        w.Line();
        w.Line(GeneratedCodeAttribute);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Line($"private static int {GeneratedNames.Encode}({spec.StateType} state) => (int)state ^ {initial};");
        w.Line();
        w.Line(GeneratedCodeAttribute);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Line($"private static {spec.StateType} {GeneratedNames.Decode}(int code) => ({spec.StateType})(code ^ {initial});");

        w.Line();
        w.Line(GeneratedCodeAttribute);
        w.Line($"private static string? {GeneratedNames.StateName}({spec.StateType} state) => state switch");
        w.Line("{");
        for (var i = 0; i < spec.States.Count; i++)
        {
            w.Line($"    {State(spec, i)} => {Literal(spec.States[i].Name)},");
        }

        w.Line("    _ => null,");
        w.Line("};");

        w.Line();
        w.Line(GeneratedCodeAttribute);
        w.Line($"private static string[] {GeneratedNames.PermittedTriggers}({spec.StateType} state) => state switch");
        w.Line("{");
        for (var i = 0; i < spec.States.Count; i++)
        {
            var permitted = spec.Triggers.Where(t => t.Transitions.Any(x => x.From == i)).Select(t => Literal(t.Name)).ToList();
            if (permitted.Count > 0)
            {
                w.Line($"    {State(spec, i)} => new string[] {{ {string.Join(", ", permitted)} }},");
            }
        }

        w.Line("    _ => global::System.Array.Empty<string>(),");
        w.Line("};");

        w.Line();
        w.Line(GeneratedCodeAttribute);
        w.Open($"private global::Weaver.InvalidTransitionException {GeneratedNames.InvalidTransition}(string trigger)");
        w.Line("var state = Current;");
        w.Line($"return new global::Weaver.InvalidTransitionException({Literal(spec.DisplayName)}, {GeneratedNames.StateName}(state) ?? state.ToString(), trigger, {GeneratedNames.PermittedTriggers}(state));");
        w.Close();

        w.Line();
        w.Line(GeneratedCodeAttribute);
        w.Line($"private static global::System.InvalidOperationException {GeneratedNames.UnknownState}({spec.StateType} state) =>");
        w.Line($"    new({Literal($"{spec.DisplayName} is in state ")} + state.ToString() + {Literal(", which its declaration does not have; only Restore and the triggers may set the state.")});");
    }

    internal static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
