using CsCheck;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// Half-typed code, as the IDE sees it while someone edits: the generator never throws, and it
/// never writes code that adds an error or a warning of its own (a consumer with warnings as errors
/// must never fail because of generated code).
/// </summary>
public sealed class RobustnessTests
{
    /// <summary>Uses every feature the parser reads: nesting, guards with and without payload, several sources, defaults.</summary>
    private const string Declaration = """
        using System;
        using Weaver;

        namespace Demo;

        public partial class Outer
        {
            [TaskMachine]
            internal partial class Job
            {
                public enum State { [Initial] Queued, Running, [Terminal] Done, [Terminal] Failed }

                [Transition(State.Queued, State.Running, Guard = nameof(HasSlot))]
                public partial bool TryStart(int slots = 1);

                [Transition(State.Running, State.Done)]
                [Transition(State.Queued, State.Done, Guard = nameof(Ready))]
                public partial bool TryFinish();

                [Transition(State.Queued, State.Failed)]
                [Transition(State.Running, State.Failed)]
                public partial bool TryFail(Exception? error, params string[] notes);

                private bool HasSlot(int slots) => slots > 0;

                private static bool Ready() => true;

                partial void OnFinish(State from, State to) { }
            }
        }
        """;

    [Fact]
    public void Complete_declaration_generates_clean_code()
    {
        var generated = Check(Declaration);
        Assert.Equal(1, generated);
    }

    [Fact]
    public void Payload_parameter_named_like_the_state_enum_does_not_hide_it()
    {
        var generated = Check(Declaration.Replace("TryFail(Exception? error,", "TryFail(Exception? State,", StringComparison.Ordinal));
        Assert.Equal(1, generated);
    }

    [Fact]
    public void Machine_with_a_lower_case_name_adds_no_warning_of_its_own()
    {
        var generated = Check(Declaration.Replace("class Job", "class job", StringComparison.Ordinal));
        Assert.Equal(1, generated);
    }

    [Theory]
    [InlineData("partial")]
    [InlineData("or")]
    [InlineData("await")]
    [InlineData("var")]
    [InlineData("nameof")]
    public void State_named_like_a_contextual_keyword_generates_clean_code(string keyword)
    {
        // "[Terminal]partial Done" is what a user has half-typed when the parser sees a state named "partial".
        var generated = Check(Declaration.Replace("[Terminal] Done", "[Terminal] " + keyword, StringComparison.Ordinal)
            .Replace("State.Done", "State." + keyword, StringComparison.Ordinal));
        Assert.Equal(1, generated);
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
        var fragments = new[] { "[", "]", "(", ")", "{", "}", ";", ",", "partial ", "static ", "State.", "Try", "@", "\"", "typeof(", "<T>", "ref " };
        var edit =
            from start in Gen.Int[0, Declaration.Length]
            from deleted in Gen.Int[0, 40]
            from inserted in Gen.OneOf(fragments)
            select Declaration[..start] + inserted + Declaration[Math.Min(Declaration.Length, start + deleted)..];

        edit.Sample(source => { Check(source); }, iter: 1_500);
    }

    /// <summary>Runs the generator on <paramref name="source"/>; returns how many files were generated.</summary>
    private static int Check(string source)
    {
        var compilation = Compilations.Create(source);
        var driver = Compilations.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();

        Assert.True(result.Exception is null, $"The generator threw {result.Exception} on:\n{source}");
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id == "CS8785");

        var generatedTrees = result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        var inGenerated = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && generatedTrees.Contains(d.Location.SourceTree!))
            .ToList();
        Assert.True(inGenerated.Count == 0, $"Generated code has {string.Join("; ", inGenerated)} for:\n{source}");

        return generatedTrees.Count;
    }
}
