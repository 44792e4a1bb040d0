using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.TerminalStates.TerminalSwitchAnalyzer>;

namespace Weaver.Analyzers.Tests.TerminalStates;

public sealed class TerminalSwitchAnalyzerTests
{
    private const string Machine = """
        using Weaver;

        [TaskMachine]
        public partial class ReviewTask
        {
            public enum State { [Initial] Queued, Running, RetryScheduled, [Terminal] Succeeded, [Terminal] Dead, [Terminal] Cancelled }

            [Transition(State.Queued, State.Running)] public partial bool TryStart();
            [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
            [Transition(State.Running, State.RetryScheduled)] public partial bool TryScheduleRetry();
            [Transition(State.RetryScheduled, State.Queued)] public partial bool TryRequeue();
            [Transition(State.Running, State.Dead)] [Transition(State.RetryScheduled, State.Dead)] public partial bool TryKill(string reason);
            [Transition(State.Queued, State.Cancelled)] public partial bool TryCancel();
        }

        """;

    [Fact]
    public Task Statement_naming_every_terminal_state_is_not_reported() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Succeeded: return "done";
                        case ReviewTask.State.Dead: return "dead";
                        case ReviewTask.State.Cancelled: return "cancelled";
                        default: return "busy";
                    }
                }
            }
            """);

    [Fact]
    public Task Statement_missing_terminal_states_is_reported_with_their_names() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    {|#0:switch|} (state)
                    {
                        case ReviewTask.State.Succeeded: return "done";
                        case ReviewTask.State.Queued: return "queued";
                    }

                    return "other";
                }
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithMessage(
                "This switch over 'ReviewTask.State' does not handle the terminal state(s) Dead, Cancelled; add a case for each (a default arm does not count)"));

    [Fact]
    public Task Statement_with_default_still_reports_the_missing_terminal_states() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    {|WVR0110:switch|} (state)
                    {
                        case ReviewTask.State.Succeeded: return "done";
                        default: return "other";
                    }
                }
            }
            """);

    [Fact]
    public Task Statement_with_stacked_case_labels_handles_each_of_them() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Succeeded:
                        case ReviewTask.State.Dead:
                        case ReviewTask.State.Cancelled:
                            return true;
                        default:
                            return false;
                    }
                }
            }
            """);

    [Fact]
    public Task Statement_case_with_when_clause_does_not_handle_its_state() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state, bool verbose)
                {
                    {|#0:switch|} (state)
                    {
                        case ReviewTask.State.Succeeded: return "done";
                        case ReviewTask.State.Dead when verbose: return "dead, for good";
                        case ReviewTask.State.Cancelled or ReviewTask.State.Queued: return "cancelled or waiting";
                        default: return "other";
                    }
                }
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithArguments("ReviewTask.State", "Dead"));

    [Fact]
    public Task Statement_state_named_both_with_and_without_when_clause_is_handled() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state, bool verbose)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Dead when verbose: return "dead, for good";
                        case ReviewTask.State.Dead: return "dead";
                        case ReviewTask.State.Succeeded or ReviewTask.State.Cancelled: return "over";
                        default: return "other";
                    }
                }
            }
            """);

    [Fact]
    public Task Expression_naming_every_terminal_state_in_or_patterns_is_not_reported() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state) => state switch
                {
                    ReviewTask.State.Succeeded or ReviewTask.State.Dead => true,
                    ReviewTask.State.Cancelled => true,
                    _ => false,
                };
            }
            """);

    [Fact]
    public Task Expression_with_discard_still_reports_the_missing_terminal_states() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state) => state {|#0:switch|}
                {
                    ReviewTask.State.Succeeded => true,
                    _ => false,
                };
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithArguments("ReviewTask.State", "Dead, Cancelled"));

    [Fact]
    public Task Expression_with_var_arm_and_guarded_arm_reports_the_states_they_stand_in_for() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state, bool verbose) => state {|#0:switch|}
                {
                    ReviewTask.State.Succeeded => "done",
                    ReviewTask.State.Dead when verbose => "dead, for good",
                    var other => other.ToString(),
                };
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithArguments("ReviewTask.State", "Dead, Cancelled"));

    [Fact]
    public Task Nested_switches_are_each_checked() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state, ReviewTask.State previous)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Succeeded:
                        case ReviewTask.State.Dead:
                        case ReviewTask.State.Cancelled:
                            return previous {|WVR0110:switch|}
                            {
                                ReviewTask.State.Running => "finished while running",
                                _ => "finished",
                            };
                        default:
                            return "busy";
                    }
                }
            }
            """);

    [Fact]
    public Task Switch_over_a_machines_current_state_is_checked() =>
        Verify.VerifyAsync(Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask task) => task.Current {|WVR0110:switch|}
                {
                    ReviewTask.State.Succeeded => "done",
                    _ => "other",
                };
            }
            """);

    [Fact]
    public Task Switch_over_a_nullable_state_is_checked() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State? state)
                {
                    var text = state {|#0:switch|}
                    {
                        null => "unknown",
                        ReviewTask.State.Succeeded or ReviewTask.State.Dead => "over",
                        _ => "other",
                    };

                    {|#1:switch|} (state)
                    {
                        case ReviewTask.State.Cancelled: return "cancelled";
                        case ReviewTask.State.Dead: return "dead";
                    }

                    return text;
                }

                public static bool IsFinished(ReviewTask.State? state) => state switch
                {
                    ReviewTask.State.Succeeded or ReviewTask.State.Dead or ReviewTask.State.Cancelled => true,
                    _ => false,
                };
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithArguments("ReviewTask.State", "Cancelled"),
            Verify.Diagnostic("WVR0110").WithLocation(1).WithArguments("ReviewTask.State", "Succeeded"));

    [Fact]
    public Task Switch_over_a_state_enum_named_by_typeof_is_checked() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            namespace Billing;

            public enum InvoiceState { [Initial] Draft, Sent, [Terminal] Paid, [Terminal] Voided }

            [TaskMachine(typeof(InvoiceState))]
            public partial class Invoice
            {
                [Transition(InvoiceState.Draft, InvoiceState.Sent)] public partial bool TrySend();
                [Transition(InvoiceState.Sent, InvoiceState.Paid)] public partial bool TryPay();
                [Transition(InvoiceState.Sent, InvoiceState.Voided)] public partial bool TryVoid();
            }

            public static class Report
            {
                public static string Describe(Invoice invoice) => invoice.Current {|#0:switch|}
                {
                    InvoiceState.Paid => "paid",
                    _ => "open",
                };
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithMessage(
                "This switch over 'InvoiceState' does not handle the terminal state(s) Voided; add a case for each (a default arm does not count)"));

    [Fact]
    public Task Switch_over_an_enum_without_terminal_states_is_not_reported() =>
        Verify.VerifyAsync(Machine + """
            public enum Colour { Red, Green, Blue }

            public static class Report
            {
                public static string Describe(Colour colour, int number)
                {
                    var text = colour switch { Colour.Red => "red", _ => "other" };
                    switch (number)
                    {
                        case 1: return text;
                        default: return "many";
                    }
                }
            }
            """);

    [Fact]
    public Task Severity_can_be_set_in_editorconfig() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state) => state switch
                {
                    ReviewTask.State.Succeeded => true,
                    _ => false,
                };
            }
            """,
            """
            root = true

            [*]
            dotnet_diagnostic.WVR0110.severity = none
            """);

    [Fact]
    public Task Relational_and_negated_patterns_do_not_name_a_terminal_state() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state) => state {|#0:switch|}
                {
                    >= ReviewTask.State.Succeeded and not ReviewTask.State.Cancelled => true,
                    ReviewTask.State.Cancelled and ReviewTask.State.Cancelled => true,
                    _ => false,
                };
            }
            """,
            Verify.Diagnostic("WVR0110").WithLocation(0).WithArguments("ReviewTask.State", "Succeeded, Dead"));
}
