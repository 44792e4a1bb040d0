using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// Every declaration error is a diagnostic at the right place with a message that says what to do, and the
/// machine is then not generated (the compiler's own errors, such as CS8795, are not what these tests check).
/// </summary>
public sealed class DeclarationDiagnosticsTests
{
    private const string Usings = "using System;\nusing Weaver;\n\n";

    private const string States = """
        public enum State { [Initial] Queued, Running, [Terminal] Done }
        """;

    [Fact]
    public Task Machine_that_is_not_partial() => VerifyAsync(
        $$"""
        [TaskMachine]
        public class {|#0:Job|}
        {
            {{States}}
        }
        """,
        Error("WVR0001").WithLocation(0).WithArguments("Job", "Job"));

    [Fact]
    public Task Machine_nested_in_a_type_that_is_not_partial() => VerifyAsync(
        $$"""
        public class {|#0:Outer|}
        {
            [TaskMachine]
            public partial class Job
            {
                {{States}}
            }
        }
        """,
        Error("WVR0001").WithLocation(0).WithArguments("Outer", "Job"));

    [Theory]
    [InlineData("public static partial class", "a static class")]
    [InlineData("public readonly partial struct", "a readonly struct (its state must change)")]
    [InlineData("public ref partial struct", "a ref struct")]
    [InlineData("file partial class", "a file-local type, or nested in one (its generated part lives in another file)")]
    [InlineData("[System.Runtime.InteropServices.StructLayout((short)0)] public partial struct", "a struct with sequential or explicit [StructLayout] (its fields would be split across two partial declarations, which have no defined order)")]
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)] public partial struct", "a struct with sequential or explicit [StructLayout] (its fields would be split across two partial declarations, which have no defined order)")]
    public Task Machine_of_an_unsupported_kind(string declaration, string problem) => VerifyAsync(
        $$"""
        [TaskMachine]
        {{declaration}} {|#0:Job|}
        {
            {{States}}
        }
        """,
        Error("WVR0002").WithLocation(0).WithArguments("Job", problem));

    [Fact]
    public Task Machine_nested_in_a_file_local_type() => VerifyAsync(
        $$"""
        file partial class Outer
        {
            [TaskMachine]
            public partial class {|#0:Job|}
            {
                {{States}}
            }
        }
        """,
        Error("WVR0002").WithLocation(0).WithArguments("Job", "a file-local type, or nested in one (its generated part lives in another file)"));

    [Fact]
    public Task Machine_without_a_state_enum() => VerifyAsync(
        """
        [TaskMachine]
        public partial class {|#0:Job|}
        {
            public enum Phase { [Initial] Queued, [Terminal] Done }
        }
        """,
        Error("WVR0003").WithLocation(0).WithArguments(
            "Job",
            "declare a nested 'public enum State { [Initial] ..., [Terminal] ... }', or name an enum with [TaskMachine(typeof(MyStates))]"));

    [Fact]
    public Task Machine_whose_typeof_is_not_an_enum() => VerifyAsync(
        """
        [{|#0:TaskMachine(typeof(string))|}]
        public partial class Job
        {
        }
        """,
        Error("WVR0003").WithLocation(0).WithArguments(
            "Job",
            "'string' given to [TaskMachine(typeof(...))] is not an enum; name an enum whose members are the states"));

    [Theory]
    [InlineData("typeof(State[])", "'Job.State[]'")]
    [InlineData("null", "null")]
    public Task Machine_whose_typeof_is_an_array_or_null(string argument, string given) => VerifyAsync(
        $$"""
        [{|#0:TaskMachine({{argument}})|}]
        public partial class Job
        {
            {{States}}
        }
        """,
        Error("WVR0003").WithLocation(0).WithArguments(
            "Job",
            $"{given} given to [TaskMachine(typeof(...))] is not an enum; name an enum whose members are the states"));

    [Theory]
    [InlineData("[Initial] Queued = 1, [Terminal] Done = 1", "'Queued' and 'Done' share the value 1; give every state its own value")]
    [InlineData("[Initial] Queued, [Terminal] Done = 1L << 40", "the value of 'Done' does not fit in an int; give the states values between -2147483648 and 2147483647")]
    [InlineData("", "it has no members; declare the states as its members")]
    public Task State_enum_with_unusable_values(string members, string problem)
    {
        var underlying = members.Contains("<<", StringComparison.Ordinal) ? " : long" : string.Empty;
        return VerifyAsync(
            $$"""
            [TaskMachine]
            public partial class Job
            {
                public enum {|#0:State|}{{underlying}} { {{members}} }
            }
            """,
            Error("WVR0004").WithLocation(0).WithArguments("Job.State", "Job", problem));
    }

    [Theory]
    [InlineData("enum", "private")]
    [InlineData("internal enum", "internal")]
    public Task State_enum_less_visible_than_the_machine(string declaration, string accessibility) => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{declaration}} {|#0:State|} { [Initial] Queued, [Terminal] Done }
        }
        """,
        Error("WVR0004").WithLocation(0).WithArguments(
            "Job.State",
            "Job",
            $"it is less visible than the machine ({accessibility}), but the generated members expose it; declare it 'public enum State'"));

    [Fact]
    public Task Hook_declared_without_a_body() => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class {|#0:Job|}
        {
            {{States}}

            partial void OnTransitioned(State from, State to);
        }
        """,
        Error("WVR0013").WithLocation(0).WithArguments("Job", "OnTransitioned"));

    [Fact]
    public Task State_enum_nested_in_a_generic_type() => VerifyAsync(
        """
        [TaskMachine]
        public partial class Job<T>
        {
            public enum {|#0:State|} { [Initial] Queued, [Terminal] Done }
        }
        """,
        Error("WVR0004").WithLocation(0).WithArguments(
            "Job<T>.State",
            "Job",
            "it is nested in generic type 'Job', so attributes cannot name its members; declare the enum outside generic types and name it with [TaskMachine(typeof(...))]"));

    [Fact]
    public Task No_initial_state() => VerifyAsync(
        """
        [TaskMachine]
        public partial class Job
        {
            public enum {|#0:State|} { Queued, [Terminal] Done }
        }
        """,
        Error("WVR0005").WithLocation(0).WithArguments("Job", "Job.State"));

    [Fact]
    public Task Several_initial_states() => VerifyAsync(
        """
        [TaskMachine]
        public partial class Job
        {
            public enum State { [Initial] Queued, [Initial] {|#0:Parked|}, [Initial] {|#1:Held|}, [Terminal] Done }
        }
        """,
        Error("WVR0006").WithLocation(0).WithArguments("Job", "3", "Queued, Parked, Held"),
        Error("WVR0006").WithLocation(1).WithArguments("Job", "3", "Queued, Parked, Held"));

    [Fact]
    public Task No_terminal_state() => VerifyAsync(
        """
        [TaskMachine]
        public partial class Job
        {
            public enum {|#0:State|} { [Initial] Queued, Running }
        }
        """,
        Error("WVR0007").WithLocation(0).WithArguments("Job", "Job.State"));

    [Theory]
    [InlineData("public partial bool {|#0:Start|}();", "Start", "is not named 'Try' followed by the trigger's name")]
    [InlineData("public partial bool {|#0:Tryst|}();", "Tryst", "is not named 'Try' followed by the trigger's name")]
    [InlineData("public partial int {|#0:TryStart|}();", "TryStart", "does not return bool")]
    [InlineData("public static partial bool {|#0:TryStart|}();", "TryStart", "is static")]
    [InlineData("public partial bool {|#0:TryStart|}<T>();", "TryStart", "is generic")]
    [InlineData("public bool {|#0:TryStart|}() => true;", "TryStart", "is not partial")]
    [InlineData("public partial bool {|#0:TryStart|}();\n    public partial bool TryStart() => true;", "TryStart", "already has a body")]
    [InlineData("public partial bool {|#0:TryStart|}(ref int attempt);", "TryStart", "takes 'attempt' by reference (ref, out or in)")]
    [InlineData("partial bool {|#0:TryStart|}();", "TryStart", "has no accessibility modifier (a partial method that returns bool needs one, such as 'public')")]
    public Task Transition_method_of_the_wrong_shape(string method, string name, string problem) => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [Transition(State.Queued, State.Running)]
            {{method}}
        }
        """,
        Error("WVR0008").WithLocation(0).WithArguments(name, problem));

    [Theory]
    [InlineData("Other.Queued, State.Running", "source")]
    [InlineData("State.Queued, (State)42", "target")]
    public Task Transition_state_that_is_not_a_member_of_the_enum(string arguments, string which) => VerifyAsync(
        $$"""
        public enum Other { Queued }

        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [{|#0:Transition({{arguments}})|}]
            public partial bool TryStart();
        }
        """,
        Error("WVR0009").WithLocation(0).WithArguments(which, "TryStart", "Job.State", "Queued, Running, Done"));

    [Fact]
    public Task Guard_that_does_not_exist() => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [{|#0:Transition(State.Queued, State.Running, Guard = "HasCapacity")|}]
            public partial bool TryStart(int slots);
        }
        """,
        Error("WVR0010").WithLocation(0).WithArguments("HasCapacity", "TryStart", "Job", "int slots"));

    [Theory]
    [InlineData("private int HasCapacity(int slots) => slots;")]
    [InlineData("private bool HasCapacity(string slots) => true;")]
    [InlineData("private bool HasCapacity(int slots, int more) => true;")]
    [InlineData("private bool HasCapacity<T>(int slots) => true;")]
    [InlineData("private bool HasCapacity(ref int slots) => true;")]
    [InlineData("private bool HasCapacity => true;")]
    public Task Guard_with_the_wrong_signature(string guard) => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [{|#0:Transition(State.Queued, State.Running, Guard = nameof(HasCapacity))|}]
            public partial bool TryStart(int slots);

            {{guard}}
        }
        """,
        Error("WVR0011").WithLocation(0).WithArguments("HasCapacity", "TryStart", "int slots"));

    [Fact]
    public Task Guard_that_is_private_in_a_base_class() => VerifyAsync(
        $$"""
        public class JobBase
        {
            private bool HasCapacity() => true;
        }

        [TaskMachine]
        public partial class Job : JobBase
        {
            {{States}}

            [{|#0:Transition(State.Queued, State.Running, Guard = "HasCapacity")|}]
            public partial bool TryStart();
        }
        """,
        Error("WVR0011").WithLocation(0).WithArguments("HasCapacity", "TryStart", "none"));

    [Fact]
    public Task Same_trigger_twice_from_one_state() => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [Transition(State.Queued, State.Running)]
            [{|#0:Transition(State.Queued, State.Done)|}]
            public partial bool TryStart();
        }
        """,
        Error("WVR0012").WithLocation(0).WithArguments("TryStart", "Queued"));

    [Fact]
    public Task Duplicate_source_is_reported_even_when_the_first_transition_has_a_bad_guard() => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [{|#0:Transition(State.Queued, State.Running, Guard = "Missing")|}]
            [{|#1:Transition(State.Queued, State.Done)|}]
            public partial bool TryStart();
        }
        """,
        Error("WVR0010").WithLocation(0).WithArguments("Missing", "TryStart", "Job", ""),
        Error("WVR0012").WithLocation(1).WithArguments("TryStart", "Queued"));

    [Fact]
    public async Task Machine_deriving_from_another_machine()
    {
        var source = $$"""
            [TaskMachine]
            public partial class BaseJob
            {
                {{States}}
            }

            [TaskMachine]
            public partial class {|#0:Job|} : BaseJob
            {
                public new enum State { [Initial] Queued, [Terminal] Done }
            }
            """;

        // The base machine is valid and generated; the derived one is not.
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.None, TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck };
        test.TestState.Sources.Add(Usings + source);
        test.ExpectedDiagnostics.Add(Error("WVR0016").WithLocation(0).WithArguments("Job", "BaseJob"));
        await test.RunAsync();

        var plain = source.Replace("{|#0:", string.Empty, StringComparison.Ordinal).Replace("|}", string.Empty, StringComparison.Ordinal);
        var generated = Compilations.Driver().RunGenerators(Compilations.Create(Usings + plain)).GetRunResult().GeneratedTrees;
        Assert.Equal(["BaseJob.TaskMachine.g.cs"], generated.Select(t => Path.GetFileName(t.FilePath)));
    }

    [Theory]
    [InlineData("public void Start() { }", "Start")]
    [InlineData("public bool CanStart => true;", "CanStart")]
    [InlineData("public string Current => \"\";", "Current")]
    [InlineData("public static string ToMermaid() => \"\";", "ToMermaid")]
    [InlineData("private void OnTransitioned(State from, State to) { }", "OnTransitioned")]
    [InlineData("public int OnStart;", "OnStart")]
    public Task User_member_with_a_generated_name(string member, string name) => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class {|#0:Job|}
        {
            {{States}}

            [Transition(State.Queued, State.Running)]
            public partial bool TryStart();

            {{member}}
        }
        """,
        Error("WVR0013").WithLocation(0).WithArguments("Job", name));

    [Fact]
    public Task Inherited_member_with_a_generated_name() => VerifyAsync(
        $$"""
        public class JobBase
        {
            public bool IsTerminal => false;
        }

        [TaskMachine]
        public partial class {|#0:Job|} : JobBase
        {
            {{States}}
        }
        """,
        Error("WVR0013").WithLocation(0).WithArguments("Job", "IsTerminal"));

    [Fact]
    public Task Overloaded_trigger() => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class Job
        {
            {{States}}

            [Transition(State.Queued, State.Running)]
            public partial bool TryStart();

            [Transition(State.Running, State.Done)]
            public partial bool {|#0:TryStart|}(int slots);
        }
        """,
        Error("WVR0014").WithLocation(0).WithArguments("Job", "TryStart"));

    [Fact]
    public Task Language_version_below_11() => VerifyAsync(
        $$"""
        [TaskMachine]
        public partial class {|#0:Job|}
        {
            {{States}}
        }
        """,
        LanguageVersion.CSharp10,
        Error("WVR0015").WithLocation(0).WithArguments("Job"));

    [Fact]
    public async Task Severity_is_configurable_in_editorconfig()
    {
        var test = new GeneratorTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(Usings + """
            [TaskMachine]
            public partial class Job
            {
                public enum {|#0:State|} { [Initial] Queued, Running }
            }
            """);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.WVR0007.severity = warning\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("WVR0007", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Job", "Job.State"));
        await test.RunAsync();
    }

    [Fact]
    public Task Pragma_suppresses_a_declaration_diagnostic() => VerifyAsync(
        """
        [TaskMachine]
        public partial class Job
        {
        #pragma warning disable WVR0007
            public enum State { [Initial] Queued, Running }
        #pragma warning restore WVR0007
        }
        """);

    [Fact]
    public Task Every_reported_descriptor_has_a_help_page_link_and_a_message_that_says_what_to_do()
    {
        var descriptors = typeof(Diagnostics.DeclarationDiagnostics)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();

        Assert.Equal(16, descriptors.Count);
        Assert.Equal(descriptors.Select(d => d.Id), Diagnostics.DeclarationDiagnostics.All.Select(d => d.Id));
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d =>
        {
            Assert.Matches("^WVR00[0-9]{2}$", d.Id);
            Assert.EndsWith($"docs/diagnostics/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
        });
        return Task.CompletedTask;
    }

    private static DiagnosticResult Error(string id) => new(id, DiagnosticSeverity.Error);

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, LanguageVersion.Latest, expected);

    private static async Task VerifyAsync(string source, LanguageVersion languageVersion, params DiagnosticResult[] expected)
    {
        var test = new GeneratorTest(languageVersion) { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(Usings + source);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
