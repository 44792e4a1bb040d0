using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// Every declaration error of a <c>[TaskHandler]</c> class is a diagnostic at the right place with a message that
/// says what to do, and the handler is then not registered (the compiler's own errors are not what these tests check).
/// </summary>
public sealed class HandlerDiagnosticsTests
{
    private const string Usings = "using System;\nusing System.Threading.Tasks;\nusing Weaver;\n\n";

    private const string Body = """
        public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);
        """;

    [Fact]
    public Task Handler_that_is_not_partial() => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public class {|#0:Counter|} : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        Error("WVR0020").WithLocation(0).WithArguments("Counter", "Counter"));

    [Fact]
    public Task Handler_nested_in_a_type_that_is_not_partial() => VerifyAsync(
        $$"""
        public static class {|#0:Handlers|}
        {
            [TaskHandler("count")]
            public partial class Counter : ITaskHandler<string, int>
            {
                {{Body}}
            }
        }
        """,
        Error("WVR0020").WithLocation(0).WithArguments("Handlers", "Counter"));

    [Theory]
    [InlineData("public abstract partial class", "abstract (Weaver creates a new handler for every attempt)")]
    [InlineData("public static partial class", "a static class (a handler implements ITaskHandler<TInput, TResult>, and Weaver creates one per attempt)")]
    [InlineData("file partial class", "a file-local type, or nested in one (its generated part lives in another file)")]
    public Task Handler_of_an_unsupported_kind(string declaration, string problem) => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        {{declaration}} {|#0:Counter|} : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        Error("WVR0021").WithLocation(0).WithArguments("Counter", problem));

    [Fact]
    public Task Generic_handler() => VerifyAsync(
        """
        [TaskHandler("count")]
        public partial class {|#0:Counter|}<T> : ITaskHandler<T, int>
        {
            public ValueTask<int> HandleAsync(T input, TaskContext context) => ValueTask.FromResult(0);
        }
        """,
        Error("WVR0021").WithLocation(0).WithArguments(
            "Counter",
            "generic (a task kind runs one concrete class; declare a non-generic handler per type argument, for example deriving from this one)"));

    [Fact]
    public Task Handler_nested_in_a_generic_type() => VerifyAsync(
        $$"""
        public partial class Outer<T>
        {
            [TaskHandler("count")]
            public partial class {|#0:Counter|} : ITaskHandler<string, int>
            {
                {{Body}}
            }
        }
        """,
        Error("WVR0021").WithLocation(0).WithArguments("Counter", "nested in generic type 'Outer<T>' (a task kind runs one concrete class)"));

    [Theory]
    [InlineData("private", "public", "private (the generated WeaverHandlers class, outside it, could not reach it)")]
    [InlineData("private protected", "public", "private protected (the generated WeaverHandlers class, outside it, could not reach it)")]
    [InlineData("internal", "protected", "nested in protected type 'Middle' (the generated WeaverHandlers class could not reach it)")]
    public Task Handler_that_the_assembly_cannot_reach(string handlerAccess, string middleAccess, string problem) => VerifyAsync(
        $$"""
        public partial class Outer
        {
            {{middleAccess}} partial class Middle
            {
                [TaskHandler("count")]
                {{handlerAccess}} partial class {|#0:Counter|} : ITaskHandler<string, int>
                {
                    {{Body}}
                }
            }
        }
        """,
        Error("WVR0021").WithLocation(0).WithArguments("Counter", problem));

    [Fact]
    public Task Handler_without_the_interface() => VerifyAsync(
        """
        [TaskHandler("count")]
        public partial class {|#0:Counter|}
        {
            public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);
        }
        """,
        Error("WVR0022").WithLocation(0).WithArguments(
            "Counter",
            "does not implement ITaskHandler<TInput, TResult>; implement it once, with the task's input and result types"));

    [Fact]
    public Task Handler_implementing_the_interface_twice() => VerifyAsync(
        $$"""
        public class CountingBase : ITaskHandler<string, int>
        {
            {{Body}}
        }

        [TaskHandler("count")]
        public partial class {|#0:Counter|} : CountingBase, ITaskHandler<int[], int>
        {
            public ValueTask<int> HandleAsync(int[] input, TaskContext context) => ValueTask.FromResult(input.Length);
        }
        """,
        Error("WVR0022").WithLocation(0).WithArguments(
            "Counter",
            "implements ITaskHandler<TInput, TResult> more than once (Weaver.ITaskHandler<string, int>, Weaver.ITaskHandler<int[], int>); keep one, and give each other input a handler and task kind of its own"));

    [Fact]
    public Task Handler_whose_input_type_it_cannot_name() => VerifyAsync(
        """
        public class CountingBase : ITaskHandler<CountingBase.Secret, int>
        {
            private sealed class Secret { }

            ValueTask<int> ITaskHandler<Secret, int>.HandleAsync(Secret input, TaskContext context) => ValueTask.FromResult(0);
        }

        [TaskHandler("count")]
        public partial class {|#0:Counter|} : CountingBase
        {
        }
        """,
        Error("WVR0022").WithLocation(0).WithArguments(
            "Counter",
            "implements 'Weaver.ITaskHandler<CountingBase.Secret, int>', but 'CountingBase.Secret' is not accessible in 'Counter', where the generated registration names it; make it accessible to 'Counter'"));

    [Theory]
    [InlineData("\"\"", "is empty")]
    [InlineData("\"  \"", "is only white space")]
    [InlineData("null", "is null")]
    [InlineData("Names.Count", "is not a constant")]
    public Task Handler_name_that_is_not_a_constant_non_blank_string(string argument, string problem) => VerifyAsync(
        $$"""
        public static class Names
        {
            public static readonly string Count = "count";
        }

        [TaskHandler({|#0:{{argument}}|})]
        public partial class Counter : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        Error("WVR0023").WithLocation(0).WithArguments("Counter", problem));

    [Fact]
    public Task Handler_name_from_a_constant_is_fine() => VerifyAsync(
        $$"""
        public static class Names
        {
            public const string Count = "count";
        }

        [TaskHandler(Names.Count)]
        public partial class Counter : ITaskHandler<string, int>
        {
            {{Body}}
        }

        [TaskHandler(nameof(Measure))]
        public partial class Measure : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """);

    [Fact]
    public Task Two_handlers_with_one_name() => VerifyAsync(
        $$"""
        namespace Reviews
        {
            [TaskHandler({|#0:"review"|})]
            public partial class Reviewer : ITaskHandler<string, int>
            {
                {{Body}}
            }
        }

        [TaskHandler({|#1:"review"|})]
        public partial class Critic : ITaskHandler<string, int>
        {
            {{Body}}
        }

        [TaskHandler("Review")]
        public partial class Other : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        Error("WVR0024").WithLocation(0).WithArguments("review", "Reviews.Reviewer", "'Critic'"),
        Error("WVR0024").WithLocation(1).WithArguments("review", "Critic", "'Reviews.Reviewer'"));

    [Fact]
    public Task Three_handlers_with_one_name_in_three_files()
    {
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        foreach (var handler in new[] { "First", "Second", "Third" })
        {
            test.TestState.Sources.Add(($"/{handler}.cs", Usings + $$"""
                [TaskHandler("same")]
                public partial class {{handler}} : ITaskHandler<string, int>
                {
                    {{Body}}
                }
                """));
        }

        test.ExpectedDiagnostics.Add(Error("WVR0024").WithSpan("/First.cs", 5, 14, 5, 20).WithArguments("same", "First", "'Second', 'Third'"));
        test.ExpectedDiagnostics.Add(Error("WVR0024").WithSpan("/Second.cs", 5, 14, 5, 20).WithArguments("same", "Second", "'First', 'Third'"));
        test.ExpectedDiagnostics.Add(Error("WVR0024").WithSpan("/Third.cs", 5, 14, 5, 20).WithArguments("same", "Third", "'First', 'Second'"));
        return test.RunAsync();
    }

    [Theory]
    [InlineData("public Counter(int start) { }", "its constructors all take parameters, and the project does not see dependency injection to pass them")]
    [InlineData("[Obsolete] public Counter() { }", "its parameterless constructor is [Obsolete]")]
    [InlineData("public required int Start { get; init; }", "it has required members, and its parameterless constructor is not [SetsRequiredMembers]")]
    public Task Handler_without_a_usable_parameterless_constructor(string member, string problem) => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class {|#0:Counter|} : ITaskHandler<string, int>
        {
            {{member}}

            {{Body}}
        }
        """,
        Error("WVR0025").WithLocation(0).WithArguments("Counter", problem));

    [Fact]
    public Task Handler_with_a_primary_constructor() => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class {|#0:Counter|}(int start) : ITaskHandler<string, int>
        {
            public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(start + input.Length);
        }
        """,
        Error("WVR0025").WithLocation(0).WithArguments("Counter", "its constructors all take parameters, and the project does not see dependency injection to pass them"));

    [Fact]
    public Task With_dependency_injection_a_handler_with_one_constructor_is_fine() => VerifyAsync(
        $$"""
        public interface IClock { int Now { get; } }

        [TaskHandler("count")]
        public partial class Counter(IClock clock, IFormatProvider? format, string? prefix = null) : ITaskHandler<string, int>
        {
            public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(clock.Now + input.Length + (format is null ? 0 : 1) + (prefix?.Length ?? 0));
        }
        """,
        withServices: true);

    [Theory]
    [InlineData(
        "public Counter(int start) { } public Counter(string start) { }",
        "it has several constructors, all with parameters; with dependency injection Weaver calls a handler's only constructor")]
    [InlineData("public Counter(ref int start) { }", "its constructor's parameter 'start' is passed by reference, which dependency injection cannot do")]
    [InlineData("public Counter(Span<int> start) { }", "its constructor's parameter 'start' is of type 'System.Span<int>', which no service can be")]
    [InlineData(
        "public Counter(int start = 3) { }",
        "its constructor's parameter 'start' has a default value other than null, which a service cannot stand for; take the value from a service or an options type")]
    [InlineData("[Obsolete] public Counter(IServiceProvider services) { }", "its constructor is [Obsolete]")]
    [InlineData(
        "public Counter(IServiceProvider services) { } public required int Start { get; init; }",
        "it has required members, and its constructor is not [SetsRequiredMembers]")]
    public Task With_dependency_injection_a_constructor_Weaver_cannot_call(string members, string problem) => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class {|#0:Counter|} : ITaskHandler<string, int>
        {
            {{members}}

            {{Body}}
        }
        """,
        withServices: true,
        Error("WVR0025").WithLocation(0).WithArguments("Counter", problem));

    [Fact]
    public Task Handler_with_a_private_parameterless_constructor_is_fine() => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class Counter : ITaskHandler<string, int>
        {
            private Counter() { }

            public Counter(int start) { }

            {{Body}}
        }
        """);

    [Theory]
    [InlineData("public static int Registration => 0;")]
    [InlineData("public class Registration { }")]
    public Task Handler_with_a_member_named_Registration(string member) => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class {|#0:Counter|} : ITaskHandler<string, int>
        {
            {{member}}

            {{Body}}
        }
        """,
        Error("WVR0026").WithLocation(0).WithArguments("Counter", "already has a member named 'Registration'"));

    [Fact]
    public Task Handler_inheriting_a_member_named_Registration() => VerifyAsync(
        $$"""
        public abstract class Base
        {
            protected string Registration { get; } = "";
        }

        [TaskHandler("count")]
        public partial class {|#0:Counter|} : Base, ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        Error("WVR0026").WithLocation(0).WithArguments("Counter", "inherits a member named 'Registration' from 'Base'"));

    [Fact]
    public Task Handler_named_Registration() => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class {|#0:Registration|} : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        Error("WVR0026").WithLocation(0).WithArguments("Registration", "is itself named 'Registration' (a member cannot have its type's name)"));

    [Fact]
    public Task Handler_that_is_also_a_machine_with_a_Registration_trigger() => VerifyAsync(
        $$"""
        [TaskMachine]
        [TaskHandler("count")]
        public partial class {|#0:Counter|} : ITaskHandler<string, int>
        {
            public enum State { [Initial] Open, [Terminal] Registered }

            [Transition(State.Open, State.Registered)]
            public partial bool TryRegistration();

            {{Body}}
        }
        """,
        Error("WVR0026").WithLocation(0).WithArguments(
            "Counter", "is also a task machine whose trigger 'TryRegistration' generates a method named 'Registration'"));

    [Fact]
    public Task Handler_deriving_from_a_valid_handler_is_fine() => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class Counter : ITaskHandler<string, int>
        {
            public virtual ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);
        }

        [TaskHandler("count-twice")]
        public sealed partial class DoubleCounter : Counter
        {
            public override async ValueTask<int> HandleAsync(string input, TaskContext context) => 2 * await base.HandleAsync(input, context);
        }
        """);

    [Fact]
    public Task Handler_with_an_old_language_version() => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class {|#0:Counter|} : ITaskHandler<string, int>
        {
            {{Body}}
        }
        """,
        LanguageVersion.CSharp8,
        Error("WVR0027").WithLocation(0).WithArguments("Counter"));

    [Fact]
    public Task Problems_of_one_handler_are_reported_together() => VerifyAsync(
        """
        public class {|#0:Outer|}
        {
            [TaskHandler({|#1:""|})]
            public abstract class {|#2:Counter|}
            {
            }
        }
        """,
        Error("WVR0021").WithLocation(2).WithArguments("Counter", "abstract (Weaver creates a new handler for every attempt)"),
        Error("WVR0020").WithLocation(2).WithArguments("Counter", "Counter"),
        Error("WVR0020").WithLocation(0).WithArguments("Outer", "Counter"),
        Error("WVR0023").WithLocation(1).WithArguments("Counter", "is empty"),
        Error("WVR0022").WithLocation(2).WithArguments(
            "Counter",
            "does not implement ITaskHandler<TInput, TResult>; implement it once, with the task's input and result types"));

    [Theory]
    [InlineData("public static void {|#0:Report|}(TaskSnapshot task) { }", "is static (it runs on the handler Weaver creates for the ended task)")]
    [InlineData("public void {|#0:Report|}<T>(TaskSnapshot task) { }", "is generic")]
    [InlineData("public void {|#0:Report|}() { }", "takes ()")]
    [InlineData("public void {|#0:Report|}(TaskSnapshot task, int retries) { }", "takes (TaskSnapshot task, int retries)")]
    [InlineData("public void {|#0:Report|}(in TaskSnapshot task) { }", "takes (in TaskSnapshot task)")]
    [InlineData("public void {|#0:Report|}(System.Threading.CancellationToken token, TaskSnapshot task) { }", "takes (CancellationToken token, TaskSnapshot task)")]
    [InlineData("public Task<int> {|#0:Report|}(TaskSnapshot task) => Task.FromResult(1);", "returns 'System.Threading.Tasks.Task<int>'")]
    [InlineData("public async void {|#0:Report|}(TaskSnapshot task) => await Task.Yield();", "is 'async void' (Weaver could neither await it nor see it fail; return Task or ValueTask)")]
    [InlineData("[Obsolete(\"Gone\", true)] public void {|#0:Report|}(TaskSnapshot task) { }", "is [Obsolete] as an error, so the generated registration could not call it")]
    public Task Outcome_method_of_the_wrong_shape(string method, string problem) => VerifyAsync(
        $$"""
        [TaskHandler("count")]
        public partial class Counter : ITaskHandler<string, int>
        {
            {{Body}}

            [OnOutcome(TaskLifecycle.State.Dead)]
            {{method}}
        }
        """,
        Error("WVR0028").WithLocation(0).WithArguments("Report", "Counter", problem));

    [Theory]
    [InlineData("TaskLifecycle.State.Running", "'Weaver.TaskLifecycle.State.Running'", "is not a terminal state (a task goes on from it)")]
    [InlineData("(TaskLifecycle.State)42", "'(Weaver.TaskLifecycle.State)42'", "is not a member of TaskLifecycle.State")]
    [InlineData("Color.Red", "'Color.Red'", "is a value of 'Color', not a task's state")]
    [InlineData("\"Dead\"", "'\"Dead\"'", "is not a TaskLifecycle.State")]
    [InlineData("2", "'2'", "is not a TaskLifecycle.State")]
    [InlineData("null", "null", "is not a TaskLifecycle.State")]
    public Task Outcome_state_that_is_not_a_terminal_task_state(string argument, string named, string problem) => VerifyAsync(
        $$"""
        public enum Color { Red }

        [TaskHandler("count")]
        public partial class Counter : ITaskHandler<string, int>
        {
            {{Body}}

            [OnOutcome(TaskLifecycle.State.Succeeded)]
            [OnOutcome({|#0:{{argument}}|})]
            public void Report(TaskSnapshot task) { }
        }
        """,
        Error("WVR0029").WithLocation(0).WithArguments("Report", "Counter", named, problem, "Succeeded, Dead, Cancelled"));

    [Fact]
    public Task Outcome_method_with_a_wrong_shape_and_a_wrong_state_gets_both() => VerifyAsync(
        """
        [TaskHandler("count")]
        public partial class Counter : ITaskHandler<string, int>
        {
            public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);

            [OnOutcome({|#1:TaskLifecycle.State.Queued|})]
            public static void {|#0:Report|}(TaskSnapshot task) { }
        }
        """,
        Error("WVR0028").WithLocation(0).WithArguments("Report", "Counter", "is static (it runs on the handler Weaver creates for the ended task)"),
        Error("WVR0029").WithLocation(1).WithArguments(
            "Report", "Counter", "'Weaver.TaskLifecycle.State.Queued'", "is not a terminal state (a task goes on from it)", "Succeeded, Dead, Cancelled"));

    [Fact]
    public async Task Editorconfig_changes_the_severity_of_a_handler_diagnostic()
    {
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        test.TestState.Sources.Add(Usings + """
            [TaskHandler("count")]
            public partial class {|#0:Counter|}
            {
            }
            """);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.WVR0022.severity = warning\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("WVR0022", DiagnosticSeverity.Warning).WithLocation(0).WithArguments(
            "Counter",
            "does not implement ITaskHandler<TInput, TResult>; implement it once, with the task's input and result types"));
        await test.RunAsync();
    }

    [Fact]
    public Task Pragma_suppresses_a_handler_diagnostic() => VerifyAsync(
        """
        [TaskHandler("count")]
        #pragma warning disable WVR0022
        public partial class Counter
        #pragma warning restore WVR0022
        {
        }
        """);

    [Fact]
    public void Every_handler_descriptor_has_an_id_in_its_range_a_help_page_and_a_release_entry()
    {
        var descriptors = typeof(Diagnostics.HandlerDiagnostics)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        var root = RepositoryRoot();
        var releases = File.ReadAllText(Path.Combine(root, "generators", "Weaver.Generators", "AnalyzerReleases.Unshipped.md"));
        var index = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "README.md"));

        Assert.Equal(10, descriptors.Count);
        Assert.Equal(descriptors.Select(d => d.Id), Diagnostics.HandlerDiagnostics.All.Select(d => d.Id));
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.Empty(descriptors.Select(d => d.Id).Intersect(Diagnostics.DeclarationDiagnostics.All.Select(d => d.Id)));
        Assert.All(descriptors, d =>
        {
            Assert.Matches("^WVR002[0-9]$", d.Id);
            Assert.EndsWith($"docs/diagnostics/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("Weaver.Declaration", d.Category);
            Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", d.Id + ".md")), $"docs/diagnostics/{d.Id}.md is missing");
            Assert.Contains($"{d.Id} | Weaver.Declaration | Error | {d.Title}", releases, StringComparison.Ordinal);
            Assert.Contains($"[{d.Id}]({d.Id}.md) | {d.Title} | Error |", index, StringComparison.Ordinal);
        });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weaver.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weaver.sln not found above " + AppContext.BaseDirectory);
    }

    private static DiagnosticResult Error(string id) => new(id, DiagnosticSeverity.Error);

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, LanguageVersion.Latest, expected);

    private static Task VerifyAsync(string source, bool withServices, params DiagnosticResult[] expected) =>
        VerifyAsync(source, LanguageVersion.Latest, withServices, expected);

    private static Task VerifyAsync(string source, LanguageVersion languageVersion, params DiagnosticResult[] expected) =>
        VerifyAsync(source, languageVersion, withServices: false, expected);

    private static async Task VerifyAsync(string source, LanguageVersion languageVersion, bool withServices, params DiagnosticResult[] expected)
    {
        // The generated sources are checked elsewhere (snapshots, robustness); here only the diagnostics count.
        var test = new GeneratorTest(languageVersion, withServices) { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        test.TestState.Sources.Add(Usings + source);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
