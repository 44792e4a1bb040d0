using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// The handler pipeline is incremental: after an edit that does not change a handler's declaration, every tracked
/// handler step is served from the cache (Cached) or recomputed to an equal value (Unchanged), so no handler's part
/// and no <c>WeaverHandlers</c> is emitted again. No step's output holds a symbol, syntax, compilation or location.
/// </summary>
public sealed class HandlerCachingTests
{
    private const string Handlers = """
        using System.Threading.Tasks;
        using Weaver;

        namespace Demo
        {
            public static partial class Pipelines
            {
                [TaskHandler("review-pr")]
                public sealed partial class ReviewHandler : ITaskHandler<string, int>
                {
                    public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);

                    [OnOutcome(TaskLifecycle.State.Succeeded)]
                    [OnOutcome(TaskLifecycle.State.Dead)]
                    [OnOutcome(TaskLifecycle.State.Cancelled)]
                    private ValueTask ReportAsync(TaskSnapshot task) => ValueTask.CompletedTask;
                }
            }
        }

        [TaskHandler("ping")]
        internal partial class PingHandler : ITaskHandler<string?, bool>
        {
            public ValueTask<bool> HandleAsync(string? input, TaskContext context) => ValueTask.FromResult(input is null);
        }
        """;

    /// <summary>Invalid (no interface), and it shares its name with <c>PingHandler</c>: both diagnostic paths stay alive.</summary>
    private const string Broken = """
        using Weaver;

        [TaskHandler("ping")]
        public partial class Broken
        {
        }
        """;

    private const string Unrelated = """
        namespace Demo;

        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    public static TheoryData<string, Func<CSharpCompilation, CSharpCompilation>> UnrelatedEdits => new()
    {
        { "a new file", c => c.AddSyntaxTrees(StepOutputs.Parse("namespace Demo; public class Added { }", "Added.cs")) },
        { "an edit to another file", c => StepOutputs.Replace(c, "Unrelated.cs", Unrelated.Replace("x * 2", "x + x", StringComparison.Ordinal)) },
        {
            // Moves both handlers down their file: a valid handler's parse result holds no location, so it stays equal.
            "code added above the handlers in their own file",
            c => StepOutputs.Replace(c, "Handlers.cs", Handlers.Replace("namespace Demo\n{", "namespace Demo\n{\n    internal static class Before { }\n", StringComparison.Ordinal))
        },
        {
            "a method body edited inside a handler",
            c => StepOutputs.Replace(c, "Handlers.cs", Handlers.Replace("input.Length", "input.Length + 1", StringComparison.Ordinal))
        },
        { "a new machine", c => c.AddSyntaxTrees(StepOutputs.Parse("using Weaver; [TaskMachine] public partial class M { public enum State { [Initial] A, [Terminal] B } }", "Machine.cs")) },
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_leaves_every_handler_step_cached_or_unchanged(string edit, Func<CSharpCompilation, CSharpCompilation> apply) =>
        AssertCachedAfter(edit, apply, Create());

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_leaves_every_handler_step_cached_or_unchanged_with_dependency_injection(string edit, Func<CSharpCompilation, CSharpCompilation> apply) =>
        AssertCachedAfter(edit, apply, Create().AddReferences(Compilations.Services));

    private static void AssertCachedAfter(string edit, Func<CSharpCompilation, CSharpCompilation> apply, CSharpCompilation compilation)
    {
        var driver = Compilations.Driver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Equal(
            ["Demo.Pipelines.ReviewHandler.TaskHandler.g.cs", "PingHandler.TaskHandler.g.cs", "WeaverHandlers.g.cs"],
            first.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Equal(["WVR0022", "WVR0024", "WVR0024"], first.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));

        var second = driver.RunGenerators(apply(compilation)).GetRunResult().Results.Single();

        Assert.All(HandlerPipeline.Steps.All, step => Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked"));
        foreach (var step in HandlerPipeline.Steps.All)
        {
            var outputs = second.TrackedSteps[step].SelectMany(run => run.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"after {edit}: an output of {step} was {output.Reason}: {output.Value}"));
        }

        // The emitters' outputs are reused as they are; only the reporting steps run again, by design, to map the
        // diagnostics onto the new compilation's trees. The diagnostics themselves stay the same.
        var emitted = SourceOutputs(second).Where(o => o.Sources.Any(IsHandlerSource)).ToList();
        Assert.Equal(3, emitted.Sum(o => o.Sources.Count));
        Assert.All(emitted, o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"after {edit}: an emitter's output was {o.Reason}"));
        Assert.Equal(["WVR0022", "WVR0024", "WVR0024"], second.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Renaming_a_handler_reruns_its_emitter_and_WeaverHandlers_only()
    {
        var compilation = Create();
        var driver = Compilations.Driver(trackSteps: true).RunGenerators(compilation);

        var edited = StepOutputs.Replace(compilation, "Handlers.cs", Handlers.Replace("\"review-pr\"", "\"review\"", StringComparison.Ordinal));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var specs = result.TrackedSteps[HandlerPipeline.Steps.Specs].SelectMany(run => run.Outputs).ToList();
        Assert.Equal(1, specs.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, specs.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.All(result.TrackedSteps[HandlerPipeline.Steps.Registry].SelectMany(run => run.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("\"review\"", Source(result, "WeaverHandlers.g.cs"), StringComparison.Ordinal);
        Assert.Contains("\"review\"", Source(result, "Demo.Pipelines.ReviewHandler.TaskHandler.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_root_namespace_reruns_WeaverHandlers_only()
    {
        var compilation = Create();
        var driver = Compilations.Driver(trackSteps: true).RunGenerators(compilation);

        var result = driver
            .WithUpdatedAnalyzerConfigOptions(new RootNamespaceOptions("Demo.App"))
            .RunGenerators(compilation)
            .GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[HandlerPipeline.Steps.Specs].SelectMany(run => run.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(result.TrackedSteps[HandlerPipeline.Steps.Registry].SelectMany(run => run.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("namespace Demo.App\n", Source(result, "WeaverHandlers.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Referencing_dependency_injection_reruns_WeaverHandlers_only_and_adds_AddWeaverHandlers()
    {
        var compilation = Create();
        var driver = Compilations.Driver(trackSteps: true).RunGenerators(compilation);
        Assert.DoesNotContain("AddWeaverHandlers", Source(driver.GetRunResult().Results.Single(), "WeaverHandlers.g.cs"), StringComparison.Ordinal);

        var result = driver.RunGenerators(compilation.AddReferences(Compilations.Services)).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[HandlerPipeline.Steps.Specs].SelectMany(run => run.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(result.TrackedSteps[HandlerPipeline.Steps.DependencyInjection].SelectMany(run => run.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(result.TrackedSteps[HandlerPipeline.Steps.Registry].SelectMany(run => run.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("AddWeaverHandler(services, global::Demo.Pipelines.ReviewHandler.Registration); // \"review-pr\"", Source(result, "WeaverHandlers.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void No_handler_step_output_holds_a_symbol_syntax_compilation_or_location()
    {
        var result = Compilations.Driver(trackSteps: true).RunGenerators(Create()).GetRunResult().Results.Single();

        var values = result.TrackedSteps.Where(s => HandlerPipeline.Steps.All.Contains(s.Key))
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

    [Fact]
    public void A_valid_handlers_parse_result_holds_no_location()
    {
        var result = Compilations.Driver(trackSteps: true).RunGenerators(Create()).GetRunResult().Results.Single();

        var valid = result.TrackedSteps[HandlerPipeline.Steps.Parse].SelectMany(run => run.Outputs)
            .Select(o => o.Value)
            .Where(v => v.GetType().GetProperty("Spec")!.GetValue(v) is not null)
            .ToList();
        Assert.Equal(2, valid.Count);
        Assert.All(valid, v => Assert.Empty((IEnumerable)v.GetType().GetProperty("Diagnostics")!.GetValue(v)!));
    }

    private static List<(List<object> Sources, ImmutableArray<Diagnostic> Diagnostics, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(run => run.Outputs)
            .Select(o => (Value: (System.Runtime.CompilerServices.ITuple)o.Value, o.Reason))
            .Select(o => (((IEnumerable)o.Value[0]!).Cast<object>().ToList(), (ImmutableArray<Diagnostic>)o.Value[1]!, o.Reason))
            .ToList();

    /// <summary>A handler's part or WeaverHandlers (the tracked source is the compiler's internal GeneratedSourceText).</summary>
    private static bool IsHandlerSource(object source) =>
        source.GetType().GetProperty("HintName")?.GetValue(source) is string hint
        && (hint.EndsWith(".TaskHandler.g.cs", StringComparison.Ordinal) || hint == "WeaverHandlers.g.cs");

    private static string Source(GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    private static CSharpCompilation Create() =>
        Compilations.Create().AddSyntaxTrees(StepOutputs.Parse(Handlers, "Handlers.cs"), StepOutputs.Parse(Broken, "Broken.cs"), StepOutputs.Parse(Unrelated, "Unrelated.cs"));
}
