using CsCheck;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// Half-typed handler declarations, as the IDE sees them while someone edits: the generator never throws, and it
/// never writes code that adds an error or a warning of its own.
/// </summary>
public sealed class HandlerRobustnessTests
{
    /// <summary>
    /// Uses every feature the handler parser reads: nesting, a const name, a private-to-the-world constructor, a
    /// tuple result with nullable annotations, a handler deriving from a handler, a record handler, [Obsolete]
    /// handlers and inputs, and outcome methods (one for two states, awaited or not, with a token or without, one
    /// [Obsolete]).
    /// </summary>
    private const string Declaration = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Weaver;

        namespace Demo;

        public static class Kinds
        {
            public const string Review = "review-pr";
        }

        public sealed record ReviewInput(string Repository, int? PullRequest);

        public partial class Outer
        {
            [TaskHandler(Kinds.Review)]
            internal partial class ReviewHandler : ITaskHandler<ReviewInput, (bool Approved, string? Note)>
            {
                protected ReviewHandler() { }

                public virtual ValueTask<(bool Approved, string? Note)> HandleAsync(ReviewInput input, TaskContext context) =>
                    ValueTask.FromResult((input.PullRequest is not null, (string?)null));

                [OnOutcome(TaskLifecycle.State.Dead)]
                [OnOutcome(TaskLifecycle.State.Cancelled)]
                protected void Alert(TaskSnapshot task) { }

                [OnOutcome(TaskLifecycle.State.Succeeded)]
                [Obsolete("Publish from HandleAsync")]
                private Task PublishAsync(TaskSnapshot task, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            [TaskHandler("review-pr-strict")]
            internal sealed partial class StrictReviewHandler : ReviewHandler
            {
                public override ValueTask<(bool Approved, string? Note)> HandleAsync(ReviewInput input, TaskContext context) =>
                    ValueTask.FromResult((false, (string?)"strict"));
            }
        }

        [Obsolete("Use ReviewHandler")]
        [TaskHandler("legacy")]
        public partial record LegacyHandler : ITaskHandler<string[], int>
        {
            public ValueTask<int> HandleAsync(string[] input, TaskContext context) => ValueTask.FromResult(input.Length);

            [OnOutcome(TaskLifecycle.State.Succeeded)]
            public ValueTask CountAsync(TaskSnapshot task) => ValueTask.CompletedTask;
        }

        [Obsolete]
        public sealed class OldInput { }

        #pragma warning disable CS0612
        [TaskHandler("old")]
        public partial class OldHandler : ITaskHandler<OldInput, int>
        {
            public ValueTask<int> HandleAsync(OldInput input, TaskContext context) => ValueTask.FromResult(0);
        }
        #pragma warning restore CS0612
        """;

    [Fact]
    public void Complete_declaration_generates_clean_code()
    {
        var (generated, output) = Check(Declaration);

        Assert.Equal(5, generated);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Every_prefix_of_the_declaration_as_it_is_typed()
    {
        for (var length = 0; length <= Declaration.Length; length++)
        {
            Check(Declaration[..length]);
        }
    }

    [Fact]
    public void Random_deletions_and_insertions_anywhere_in_the_declaration()
    {
        var fragments = new[]
        {
            "[", "]", "(", ")", "{", "}", ";", ",", "<", ">", "\"", "?", "partial ", "static ", "abstract ", "private ", "file ",
            "new ", "<T>", "Registration", "[Obsolete(\"x\", true)]", "[Obsolete]", "ITaskHandler<int, int>, ", "[TaskHandler(\"legacy\")]",
            "[TaskHandler(\"\")]", "public Registration() { }", "required int X { get; init; }", "(int x)", "\"\\u2028\"", "\"\\uD800\"",
        };
        var edit =
            from start in Gen.Int[0, Declaration.Length]
            from deleted in Gen.Int[0, 40]
            from inserted in Gen.OneOf(fragments)
            select Declaration[..start] + inserted + Declaration[Math.Min(Declaration.Length, start + deleted)..];

        edit.Sample(source => { Check(source); }, iter: 1_500);
    }

    [Theory]
    [InlineData("\"\\u2028 line\\nbreak\"")]
    [InlineData("\"\\uD800 lone surrogate\"")]
    [InlineData("\"quote \\\" and */ and <xml>&\"")]
    [InlineData("\"überprüfen\"")]
    public void Any_constant_name_is_written_as_an_exact_literal(string literal)
    {
        var source = $$"""
            using System.Threading.Tasks;
            using Weaver;

            [TaskHandler({{literal}})]
            public partial class Odd : ITaskHandler<string, int>
            {
                public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(0);
            }

            public static class Probe
            {
                public static bool SameName => Odd.Registration.Name == {{literal}};
            }
            """;

        var (generated, output) = Check(source);

        Assert.Equal(2, generated);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Theory]
    [InlineData("public partial struct")]
    [InlineData("public readonly partial struct")]
    [InlineData("public ref partial struct")]
    [InlineData("public readonly partial record struct")]
    [InlineData("public partial record")]
    [InlineData("public partial interface")]
    [InlineData("public static partial class")]
    [InlineData("public sealed partial class")]
    public void A_handler_nested_in_any_kind_of_type_compiles(string container)
    {
        var source = $$"""
            namespace Demo
            {
                {{container}} Outer
                {
                    [Weaver.TaskHandler("nested")]
                    public partial class Handler : Weaver.ITaskHandler<string, int>
                    {
                        public System.Threading.Tasks.ValueTask<int> HandleAsync(string input, Weaver.TaskContext context) =>
                            System.Threading.Tasks.ValueTask.FromResult(input.Length);
                    }
                }
            }
            """;

        var (generated, output) = Check(source);

        Assert.Equal(2, generated);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void A_handler_deriving_from_an_invalid_handler_does_not_hide_anything()
    {
        var (generated, output) = Check(Handler("Base", "base", "public abstract partial class", baseType: null) + Handler("Derived", "derived", "public sealed partial class", baseType: "Base"));

        Assert.Equal(2, generated); // Derived and WeaverHandlers: Base is abstract (WVR0021)
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void A_handler_deriving_from_a_handler_of_a_referenced_assembly_hides_its_Registration()
    {
        var (_, library) = Check(Handler("Base", "base", "public partial class", baseType: null));
        var consumer = Compilations.Create(Handler("Derived", "derived", "public sealed partial class", baseType: "global::Demo.Base", ns: "Other"))
            .WithAssemblyName("Consumer2")
            .AddReferences(library.ToMetadataReference());

        Compilations.Driver().RunGeneratorsAndUpdateCompilation(consumer, out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("public new static global::Weaver.HandlerRegistration Registration", StringComparison.Ordinal));
    }

    [Fact]
    public void A_handler_that_is_obsolete_as_an_error_is_left_out_of_WeaverHandlers()
    {
        var (generated, output) = Check("using System;\n" + Handler("Gone", "gone", "[Obsolete(\"gone\", true)] public partial class", baseType: null));

        Assert.Equal(2, generated);
        var registry = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("WeaverHandlers.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("// \"gone\": not registered, because global::Demo.Gone is [Obsolete] as an error", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void Handlers_whose_names_differ_only_in_case_get_distinct_files()
    {
        var (generated, output) = Check(Handler("Ping", "ping", "public partial class", baseType: null) + Handler("PING", "ping-upper", "public partial class", baseType: null));

        Assert.Equal(3, generated);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
    }

    private static string Handler(string type, string name, string declaration, string? baseType, string ns = "Demo") => $$"""
        namespace {{ns}}
        {
            [Weaver.TaskHandler("{{name}}")]
            {{declaration}} {{type}} : {{baseType ?? "Weaver.ITaskHandler<string, int>"}}
            {
                public {{(baseType is null ? "virtual" : "override")}} System.Threading.Tasks.ValueTask<int> HandleAsync(string input, Weaver.TaskContext context) =>
                    System.Threading.Tasks.ValueTask.FromResult(input.Length);
            }
        }

        """;

    [Theory]
    [InlineData("ping", 2)] // CS8981 on the user's declaration, not again on the generated one
    [InlineData("record", 2)] // CS8860 and CS8981 likewise
    [InlineData("file", 1)] // CS9056, an error: not registered
    [InlineData("required", 1)]
    [InlineData("scoped", 1)]
    public void A_handler_with_a_name_the_compiler_warns_about_gets_no_second_warning(string type, int expected)
    {
        var (generated, output) = Check(Handler(type, "odd", "public partial class", baseType: null));

        Assert.Equal(expected, generated);
        Assert.Contains(output.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning); // on the user's declaration
    }

    /// <summary>Runs the generator on <paramref name="source"/>; returns how many files it generated, and the compilation with them.</summary>
    private static (int Generated, Compilation Output) Check(string source)
    {
        // Every warning wave, as a net10.0 project's build reports them (CS8981 among them).
        var compilation = Compilations.Create(source);
        compilation = compilation.WithOptions(compilation.Options.WithWarningLevel(9999));
        var driver = Compilations.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();

        Assert.True(result.Exception is null, $"The generator threw {result.Exception} on:\n{source}");
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id == "CS8785");

        var generatedTrees = result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        var inGenerated = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && generatedTrees.Contains(d.Location.SourceTree!))
            .ToList();
        Assert.True(inGenerated.Count == 0, $"Generated code has {string.Join("; ", inGenerated)} for:\n{source}\n\n{string.Join("\n", result.GeneratedSources.Select(s => s.SourceText.ToString()))}");

        return (generatedTrees.Count, output);
    }
}
