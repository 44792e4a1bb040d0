using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// The pipeline is incremental: after an edit that does not change a machine's declaration, every tracked step
/// is served from the cache (Cached) or recomputed to an equal value (Unchanged), so nothing is emitted again.
/// And no step's output holds a symbol, syntax or compilation, which would defeat caching and keep compilations alive.
/// </summary>
public sealed class CachingTests
{
    private const string Machine = """
        using Weaver;

        namespace Demo;

        [TaskMachine]
        public partial class ReviewTask
        {
            public enum State { [Initial] Queued, Running, [Terminal] Succeeded, [Terminal] Dead }

            [Transition(State.Queued, State.Running)]
            public partial bool TryStart();

            [Transition(State.Queued, State.Dead)]
            [Transition(State.Running, State.Dead, Guard = nameof(MayKill))]
            public partial bool TryKill(string reason);

            private bool MayKill(string reason) => reason.Length > 0;
        }
        """;

    private const string BrokenMachine = """
        using Weaver;

        [TaskMachine]
        public partial class Broken
        {
            public enum State { [Initial] Queued, Running }
        }
        """;

    private const string Unrelated = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static readonly string[] OurSteps =
    {
        TaskMachineGenerator.Steps.Parse, TaskMachineGenerator.Steps.Specs, TaskMachineGenerator.Steps.Diagnostics,
    };

    public static TheoryData<string, Func<CSharpCompilation, CSharpCompilation>> UnrelatedEdits => new()
    {
        { "a new file", c => c.AddSyntaxTrees(StepOutputs.Parse("namespace Demo; public class Added { }", "Added.cs")) },
        { "an edit to another file", c => StepOutputs.Replace(c, "Unrelated.cs", Unrelated.Replace("x * 2", "x + x", StringComparison.Ordinal)) },
        {
            // Moves the machine down the file: its spec holds no location, so it stays equal.
            "code added above the machine in its own file",
            c => StepOutputs.Replace(c, "Machine.cs", Machine.Replace("namespace Demo;", "namespace Demo;\n\ninternal static class Before { }", StringComparison.Ordinal))
        },
        {
            "a method body edited inside the machine",
            c => StepOutputs.Replace(c, "Machine.cs", Machine.Replace("reason.Length > 0", "reason.Length > 1", StringComparison.Ordinal))
        },
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_leaves_every_step_cached_or_unchanged(string edit, Func<CSharpCompilation, CSharpCompilation> apply)
    {
        var compilation = Create();
        var driver = Compilations.Driver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Single(first.GeneratedSources);
        Assert.Contains(first.Diagnostics, d => d.Id == "WVR0007");

        var second = driver.RunGenerators(apply(compilation)).GetRunResult().Results.Single();

        Assert.All(OurSteps, step => Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked"));
        var steps = second.TrackedSteps.Where(s => OurSteps.Contains(s.Key)).SelectMany(s => s.Value).SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"after {edit}: a step output was {output.Reason}: {output.Value}"));

        // The emitter's output is reused as is. Only the reporting of the broken machine's diagnostics runs again,
        // by design: it maps their locations onto the new compilation's trees, so pragmas and editorconfig apply.
        var outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(run => run.Outputs)
            .Select(o => (Value: (System.Runtime.CompilerServices.ITuple)o.Value, o.Reason))
            .Select(o => (Sources: ((IEnumerable)o.Value[0]!).Cast<object>().Count(), Diagnostics: (ImmutableArray<Diagnostic>)o.Value[1]!, o.Reason))
            .ToList();
        var emitted = outputs.Where(o => o.Sources > 0).ToList();
        Assert.Single(emitted);
        Assert.All(emitted, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"after {edit}: emitter output was {o.Reason}"));
        Assert.Contains(outputs, o => o.Diagnostics.Any(d => d.Id == "WVR0007"));
    }

    [Fact]
    public void Changing_the_declaration_reruns_the_emitter()
    {
        var compilation = Create();
        var driver = Compilations.Driver(trackSteps: true).RunGenerators(compilation);

        var edited = StepOutputs.Replace(compilation, "Machine.cs", Machine.Replace("Running, [Terminal]", "Running, Paused, [Terminal]", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var specs = result.TrackedSteps[TaskMachineGenerator.Steps.Specs].SelectMany(run => run.Outputs).ToList();
        Assert.Contains(specs, output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Paused", result.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_or_compilation()
    {
        var result = Compilations.Driver(trackSteps: true).RunGenerators(Create()).GetRunResult().Results.Single();

        var values = result.TrackedSteps.Where(s => OurSteps.Contains(s.Key))
            .SelectMany(s => s.Value)
            .SelectMany(run => run.Outputs)
            .Select(output => output.Value)
            .ToList();
        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            StepOutputs.AssertHoldsNoCompilerObjects(value);
        }
    }

    private static CSharpCompilation Create() =>
        Compilations.Create(string.Empty).RemoveAllSyntaxTrees().AddSyntaxTrees(
            StepOutputs.Parse(Machine, "Machine.cs"), StepOutputs.Parse(BrokenMachine, "Broken.cs"), StepOutputs.Parse(Unrelated, "Unrelated.cs"));
}
