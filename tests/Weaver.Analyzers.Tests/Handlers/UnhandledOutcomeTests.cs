using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Handlers.UnhandledOutcomeAnalyzer>;
using Microsoft.CodeAnalysis.Testing;
using Weaver.Analyzers.Handlers;

namespace Weaver.Analyzers.Tests.Handlers;

public sealed class UnhandledOutcomeTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Weaver;

        """;

    private const string Body = """
            public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input);
        """;

    [Fact]
    public async Task A_handler_missing_one_terminal_state_is_reported_with_the_handled_and_missing_states()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class {|#0:ExportHandler|} : ITaskHandler<string, string>
            {
            {{Body}}

                [OnOutcome(TaskLifecycle.State.Succeeded)]
                public void Publish(TaskSnapshot task) { }

                [OnOutcome(TaskLifecycle.State.Dead)]
                public Task AlertAsync(TaskSnapshot task, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult(OutcomeDiagnostics.UnhandledOutcome)
            .WithLocation(0)
            .WithArguments("ExportHandler", "Succeeded, Dead", "TaskLifecycle.State", "Cancelled"));
    }

    [Fact]
    public async Task A_handler_missing_two_terminal_states_is_reported_once_with_both()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class {|#0:ExportHandler|} : ITaskHandler<string, string>
            {
            {{Body}}

                [OnOutcome(TaskLifecycle.State.Dead)]
                public void Alert(TaskSnapshot task) { }
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult(OutcomeDiagnostics.UnhandledOutcome)
            .WithLocation(0)
            .WithArguments("ExportHandler", "Dead", "TaskLifecycle.State", "Succeeded, Cancelled"));
    }

    [Fact]
    public async Task The_message_says_what_is_handled_what_is_missing_and_what_to_do()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class ExportHandler : ITaskHandler<string, string>
            {
            {{Body}}

                [OnOutcome(TaskLifecycle.State.Dead)]
                public void Alert(TaskSnapshot task) { }
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult("WVR0114", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithSpan(5, 29, 5, 42)
            .WithMessage("Task handler 'ExportHandler' has outcome methods for Dead of 'TaskLifecycle.State' but not for Succeeded, Cancelled; a task can end in any terminal state, so add an [OnOutcome(...)] method for each missing one"));
    }

    [Fact]
    public async Task Outcomes_split_over_several_methods_and_attributes_are_counted_together()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class {|#0:ExportHandler|} : ITaskHandler<string, string>
            {
            {{Body}}

                [OnOutcome(TaskLifecycle.State.Dead)]
                [OnOutcome(TaskLifecycle.State.Dead)]
                public void Alert(TaskSnapshot task) { }

                [OnOutcome(TaskLifecycle.State.Dead)]
                [OnOutcome(TaskLifecycle.State.Cancelled)]
                public ValueTask CleanUpAsync(TaskSnapshot task) => ValueTask.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult(OutcomeDiagnostics.UnhandledOutcome)
            .WithLocation(0)
            .WithArguments("ExportHandler", "Dead, Cancelled", "TaskLifecycle.State", "Succeeded"));
    }

    [Fact]
    public async Task A_handler_that_handles_every_terminal_state_is_not_reported()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class ExportHandler : ITaskHandler<string, string>
            {
            {{Body}}

                [OnOutcome(TaskLifecycle.State.Succeeded)]
                public void Publish(TaskSnapshot task) { }

                [OnOutcome(TaskLifecycle.State.Dead)]
                [OnOutcome(TaskLifecycle.State.Cancelled)]
                public ValueTask CleanUpAsync(TaskSnapshot task) => ValueTask.CompletedTask;
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_handler_without_outcome_methods_is_not_reported()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class ExportHandler : ITaskHandler<string, string>
            {
            {{Body}}
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_class_that_is_not_a_handler_is_not_reported()
    {
        var source = Usings + """
            public sealed class Reports
            {
                [OnOutcome(TaskLifecycle.State.Dead)]
                public void Alert(TaskSnapshot task) { }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Severity_none_in_editorconfig_silences_it()
    {
        var source = Usings + $$"""
            [TaskHandler("export")]
            public sealed partial class ExportHandler : ITaskHandler<string, string>
            {
            {{Body}}

                [OnOutcome(TaskLifecycle.State.Dead)]
                public void Alert(TaskSnapshot task) { }
            }
            """;

        await Verify.VerifyAsync(source, "root = true\n[*]\ndotnet_diagnostic.WVR0114.severity = none\n");
    }
}
