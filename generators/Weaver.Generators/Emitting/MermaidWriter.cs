using System.Collections.Generic;
using Weaver.Generators.Model;

namespace Weaver.Generators.Emitting;

/// <summary>The lines of a machine's Mermaid <c>stateDiagram-v2</c>, computed once at generation time.</summary>
internal static class MermaidWriter
{
    public static IEnumerable<string> Lines(MachineSpec spec)
    {
        yield return "stateDiagram-v2";
        foreach (var state in spec.States)
        {
            if (state.IsInitial)
            {
                yield return $"    [*] --> {state.Name}";
            }
        }

        foreach (var trigger in spec.Triggers)
        {
            foreach (var transition in trigger.Transitions)
            {
                var label = transition.Guard is null ? trigger.Name : $"{trigger.Name} [{transition.Guard}]";
                yield return $"    {spec.States[transition.From].Name} --> {spec.States[transition.To].Name} : {label}";
            }
        }

        foreach (var state in spec.States)
        {
            if (state.IsTerminal)
            {
                yield return $"    {state.Name} --> [*]";
            }
        }
    }
}
