using System.Collections.Generic;
using System.Linq;
using Weaver.Generators.Model;

namespace Weaver.Generators.Emitting;

/// <summary>
/// Writes one trigger: the body of its <c>partial bool TryX</c>, <c>CanX</c>, the throwing <c>X</c>, and its
/// <c>OnX</c> hook.
/// </summary>
/// <remarks>
/// Atomicity: a trigger with one source state is a single <c>Interlocked.CompareExchange</c> from that state.
/// A trigger with several is a compare-and-exchange loop: read the state, pick its transition, exchange; when
/// another thread changed the state in between, the exchange fails and the loop decides again from the new
/// state. Either way the state changes in one atomic step and only the winner runs the hooks. Guards run
/// before the exchange and are not part of the atomic step.
/// </remarks>
internal static class TriggerEmitter
{
    public static void Write(SourceWriter w, MachineSpec spec, TriggerSpec trigger)
    {
        var modifiers = trigger.Modifiers.Length == 0 ? string.Empty : trigger.Modifiers + " ";
        w.Line();
        w.Line(MachineEmitter.GeneratedCodeAttribute);
        w.Open($"{modifiers}partial bool {trigger.MethodName}({Parameters(trigger, asNewMethod: false)})");
        if (trigger.Transitions.Count == 1)
        {
            WriteSingleSourceBody(w, spec, trigger, trigger.Transitions[0]);
        }
        else
        {
            WriteLoopBody(w, spec, trigger);
        }

        w.Close();

        WriteCan(w, spec, trigger, modifiers);
        WriteThrowing(w, trigger, modifiers);
        WriteHook(w, spec, trigger);
    }

    private static void WriteSingleSourceBody(SourceWriter w, MachineSpec spec, TriggerSpec trigger, TransitionSpec transition)
    {
        var from = State(spec, trigger, transition.From);
        var to = State(spec, trigger, transition.To);
        var refused = $"Current != {from}" + (transition.Guard is null ? string.Empty : $" || !{GuardCall(trigger, transition)}");
        w.Open($"if ({refused})");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Open($"if (global::System.Threading.Interlocked.CompareExchange(ref {GeneratedNames.StateField}, {GeneratedNames.Encode}({to}), {GeneratedNames.Encode}({from})) != {GeneratedNames.Encode}({from}))");
        w.Line("return false;");
        w.Close();
        w.Line();
        WriteHookCalls(w, trigger, from, to);
    }

    private static void WriteLoopBody(SourceWriter w, MachineSpec spec, TriggerSpec trigger)
    {
        var observed = LocalName("observed", trigger);
        var from = LocalName("from", trigger);
        var to = LocalName("to", trigger);
        w.Open("while (true)");
        w.Line($"int {observed} = global::System.Threading.Volatile.Read(ref {GeneratedNames.StateField});");
        w.Line($"{StateType(spec, trigger)} {from} = {GeneratedNames.Decode}({observed});");
        w.Line($"{StateType(spec, trigger)} {to};");
        w.Open($"switch ({from})");

        // Sources that lead to the same target under the same guard share one case body.
        foreach (var group in trigger.Transitions.GroupBy(t => (t.To, t.Guard)))
        {
            foreach (var transition in group)
            {
                w.Line($"case {State(spec, trigger, transition.From)}:");
            }

            var first = group.First();
            if (first.Guard is not null)
            {
                w.Line($"    if (!{GuardCall(trigger, first)})");
                w.Line("    {");
                w.Line("        return false;");
                w.Line("    }");
                w.Line();
            }

            w.Line($"    {to} = {State(spec, trigger, first.To)};");
            w.Line("    break;");
        }

        w.Line("default:");
        w.Line("    return false;");
        w.Close();
        w.Line();
        w.Open($"if (global::System.Threading.Interlocked.CompareExchange(ref {GeneratedNames.StateField}, {GeneratedNames.Encode}({to}), {observed}) == {observed})");
        WriteHookCalls(w, trigger, from, to);
        w.Close();
        w.Line();
        w.Line("// Another trigger changed the state between the read and the exchange: decide again from the new state.");
        w.Close();
    }

    private static void WriteHookCalls(SourceWriter w, TriggerSpec trigger, string from, string to)
    {
        w.Line($"On{trigger.Name}({string.Join(", ", new[] { from, to }.Concat(trigger.Parameters.Select(p => p.Name)))});");
        w.Line($"{GeneratedNames.TransitionedHook}({from}, {to});");
        w.Line("return true;");
    }

    private static void WriteCan(SourceWriter w, MachineSpec spec, TriggerSpec trigger, string modifiers)
    {
        w.Line();
        w.Line($"/// <summary>Whether <see cref=\"{trigger.MethodName}\"/> would fire now: the current state permits it and its guard agrees.</summary>");
        w.Line(MachineEmitter.GeneratedCodeAttribute);
        w.Open($"{modifiers}bool Can{trigger.Name}({Parameters(trigger, asNewMethod: true)})");
        w.Open("switch (Current)");
        foreach (var group in trigger.Transitions.GroupBy(t => t.Guard))
        {
            foreach (var transition in group)
            {
                w.Line($"case {State(spec, trigger, transition.From)}:");
            }

            w.Line($"    return {(group.Key is null ? "true" : GuardCall(trigger, group.First()))};");
        }

        w.Line("default:");
        w.Line("    return false;");
        w.Close();
        w.Close();
    }

    private static void WriteThrowing(SourceWriter w, TriggerSpec trigger, string modifiers)
    {
        w.Line();
        w.Line($"/// <summary>Fires <c>{trigger.Name}</c>, or throws when the current state does not permit it or its guard refuses it.</summary>");
        w.Line("/// <exception cref=\"global::Weaver.InvalidTransitionException\">The transition did not happen; the message names the state and the triggers it permits.</exception>");
        w.Line(MachineEmitter.GeneratedCodeAttribute);
        w.Open($"{modifiers}void {trigger.Name}({Parameters(trigger, asNewMethod: true)})");
        w.Open($"if (!{trigger.MethodName}({Arguments(trigger)}))");
        w.Line($"throw {GeneratedNames.InvalidTransition}({MachineEmitter.Literal(trigger.Name)});");
        w.Close();
        w.Close();
    }

    private static void WriteHook(SourceWriter w, MachineSpec spec, TriggerSpec trigger)
    {
        var parameters = new List<string> { $"{spec.StateType} {LocalName("from", trigger)}", $"{spec.StateType} {LocalName("to", trigger)}" };
        parameters.AddRange(trigger.Parameters.Select(p => $"{p.Type} {p.Name}"));
        w.Line();
        w.Line($"/// <summary>Called after <c>{trigger.Name}</c> moved the machine, with its payload, before <c>{GeneratedNames.TransitionedHook}</c>. Implement it to act on the transition.</summary>");
        w.Line($"partial void On{trigger.Name}({string.Join(", ", parameters)});");
    }

    /// <summary>
    /// How the trigger's body names the state enum: its short name, unless a payload parameter has that name and would
    /// hide it; then fully qualified.
    /// </summary>
    private static string StateType(MachineSpec spec, TriggerSpec trigger) =>
        trigger.Parameters.Any(p => p.Name.TrimStart('@') == spec.StateType) ? spec.FullStateType : spec.StateType;

    private static string State(MachineSpec spec, TriggerSpec trigger, int index) =>
        $"{StateType(spec, trigger)}.{spec.States[index].Identifier}";

    /// <summary>A name for generated locals and hook parameters that no payload parameter already uses.</summary>
    private static string LocalName(string preferred, TriggerSpec trigger)
    {
        var name = preferred;
        while (trigger.Parameters.Any(p => p.Name.TrimStart('@') == name))
        {
            name += "State";
        }

        return name;
    }

    private static string GuardCall(TriggerSpec trigger, TransitionSpec transition) =>
        $"{transition.Guard}({(transition.GuardTakesPayload ? Arguments(trigger) : string.Empty)})";

    private static string Arguments(TriggerSpec trigger) => string.Join(", ", trigger.Parameters.Select(p => p.Name));

    private static string Parameters(TriggerSpec trigger, bool asNewMethod) =>
        string.Join(", ", trigger.Parameters.Select(p =>
            (asNewMethod ? p.CallerInfo : string.Empty) + (p.IsParams ? "params " : string.Empty) + $"{p.Type} {p.Name}"
            + (asNewMethod && p.DefaultValue is not null ? " = " + p.DefaultValue : string.Empty)));
}
