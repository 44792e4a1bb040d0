using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.TerminalStates.StateGraphAnalyzer>;

namespace Weaver.Analyzers.Tests.TerminalStates;

public sealed class StateGraphAnalyzerTests
{
    [Fact]
    public Task Machine_whose_every_state_is_reachable_and_can_finish_is_not_reported() =>
        Verify.VerifyAsync("""
            using System;
            using Weaver;

            [TaskMachine]
            public partial class ReviewTask
            {
                public enum State { [Initial] Queued, Running, RetryScheduled, [Terminal] Succeeded, [Terminal] Dead, [Terminal] Cancelled }

                [Transition(State.Queued, State.Running)] public partial bool TryStart();
                [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
                [Transition(State.Running, State.RetryScheduled)] public partial bool TryScheduleRetry(Exception error);
                [Transition(State.RetryScheduled, State.Queued)] public partial bool TryRequeue();
                [Transition(State.Running, State.Dead)] [Transition(State.RetryScheduled, State.Dead)] public partial bool TryKill(string reason);
                [Transition(State.Queued, State.Cancelled)] public partial bool TryCancel();
            }
            """);

    [Fact]
    public Task State_without_a_way_out_cannot_reach_a_terminal_state() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            [TaskMachine]
            public partial class ReviewTask
            {
                public enum State { [Initial] Queued, Running, {|#0:Waiting|}, [Terminal] Succeeded, [Terminal] Dead, [Terminal] Cancelled }

                [Transition(State.Queued, State.Running)] public partial bool TryStart();
                [Transition(State.Running, State.Waiting)] public partial bool TryWait();
                [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
                [Transition(State.Running, State.Dead)] public partial bool TryKill();
                [Transition(State.Queued, State.Cancelled)] public partial bool TryCancel();
            }
            """,
            Verify.Diagnostic("WVR0111").WithLocation(0).WithMessage(
                "State 'Waiting' of machine 'ReviewTask' cannot reach a terminal state; add a transition that leads from it toward one of: Succeeded, Dead, Cancelled"));

    [Fact]
    public Task Cycle_with_an_exit_can_finish_and_cycle_without_one_cannot() =>
        Verify.VerifyAsync("""
            using Weaver;

            [TaskMachine]
            public partial class Conversation
            {
                public enum State { [Initial] Open, Asking, Answering, {|WVR0111:Ping|}, {|WVR0111:Pong|}, [Terminal] Closed }

                [Transition(State.Open, State.Asking)] public partial bool TryAsk();
                [Transition(State.Asking, State.Answering)] public partial bool TryAnswer();
                [Transition(State.Answering, State.Asking)] public partial bool TryFollowUp();
                [Transition(State.Answering, State.Closed)] public partial bool TryClose();
                [Transition(State.Open, State.Ping)] public partial bool TryPing();
                [Transition(State.Ping, State.Pong)] public partial bool TryPong();
                [Transition(State.Pong, State.Ping)] public partial bool TryPingAgain();
            }
            """);

    [Fact]
    public Task State_with_only_a_self_loop_cannot_reach_a_terminal_state() =>
        Verify.VerifyAsync("""
            using Weaver;

            [TaskMachine]
            public partial class Poller
            {
                public enum State { [Initial] Idle, {|WVR0111:Polling|}, [Terminal] Stopped }

                [Transition(State.Idle, State.Polling)] public partial bool TryStart();
                [Transition(State.Polling, State.Polling)] public partial bool TryPollAgain();
                [Transition(State.Idle, State.Stopped)] public partial bool TryStop();
            }
            """);

    [Fact]
    public Task State_no_transition_leads_to_cannot_be_reached_from_the_initial_state() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            [TaskMachine]
            public partial class ReviewTask
            {
                public enum State { [Initial] Queued, Running, {|#0:Parked|}, [Terminal] Succeeded, [Terminal] {|#1:Cancelled|} }

                [Transition(State.Queued, State.Running)] public partial bool TryStart();
                [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
                [Transition(State.Parked, State.Running)] public partial bool TryResume();
            }
            """,
            Verify.Diagnostic("WVR0112").WithLocation(0).WithMessage(
                "State 'Parked' of machine 'ReviewTask' cannot be reached from the initial state 'Queued'; add a transition that leads to it, or remove the state"),
            Verify.Diagnostic("WVR0112").WithLocation(1).WithArguments("Cancelled", "ReviewTask", "Queued"));

    [Fact]
    public Task Transition_out_of_a_terminal_state_is_reported_on_its_attribute() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            [TaskMachine]
            public partial class ReviewTask
            {
                public enum State { [Initial] Queued, Running, [Terminal] Succeeded, [Terminal] Dead }

                [Transition(State.Queued, State.Running)] public partial bool TryStart();
                [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
                [Transition(State.Running, State.Dead)] public partial bool TryKill();
                [{|#0:Transition(State.Succeeded, State.Running)|}]
                [{|#1:Transition(State.Dead, State.Queued)|}]
                [Transition(State.Running, State.Queued)]
                public partial bool TryRevive();
            }
            """,
            Verify.Diagnostic("WVR0113").WithLocation(0).WithMessage(
                "Machine 'ReviewTask' has a transition out of terminal state 'Succeeded' (to 'Running'), but a terminal state means the task's work has ended; remove the transition, or do not mark 'Succeeded' [Terminal]"),
            Verify.Diagnostic("WVR0113").WithLocation(1).WithArguments("ReviewTask", "Dead", "Queued"));

    [Fact]
    public Task Machines_sharing_a_state_enum_are_each_checked_with_their_own_transitions() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            namespace Billing;

            public enum InvoiceState { [Initial] Draft, {|#0:Sent|}, [Terminal] Paid }

            [TaskMachine(typeof(InvoiceState))]
            public partial class Invoice
            {
                [Transition(InvoiceState.Draft, InvoiceState.Sent)] public partial bool TrySend();
                [Transition(InvoiceState.Sent, InvoiceState.Paid)] public partial bool TryPay();
            }

            [TaskMachine(typeof(InvoiceState))]
            public partial class CashSale
            {
                [Transition(InvoiceState.Draft, InvoiceState.Paid)] public partial bool TryPay();
            }
            """,
            Verify.Diagnostic("WVR0111").WithLocation(0).WithArguments("Sent", "CashSale", "Paid"),
            Verify.Diagnostic("WVR0112").WithLocation(0).WithArguments("Sent", "CashSale", "Draft"));

    [Fact]
    public Task Machine_without_terminal_states_gets_only_the_generators_diagnostic() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            [TaskMachine]
            public partial class Poller
            {
                public enum {|#0:State|} { [Initial] Idle, Polling }

                [Transition(State.Idle, State.Polling)] public partial bool {|#1:TryStart|}();
            }
            """,
            DiagnosticResult.CompilerError("WVR0007").WithLocation(0),
            DiagnosticResult.CompilerError("CS8795").WithLocation(1));

    [Fact]
    public Task Machine_with_two_initial_states_is_not_checked_for_reachability_from_the_initial_state() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            [TaskMachine]
            public partial class Poller
            {
                public enum State { [Initial] Idle, [Initial] {|#0:Warm|}, Unused, [Terminal] Stopped }

                [Transition(State.Idle, State.Stopped)] [Transition(State.Warm, State.Stopped)] public partial bool {|#1:TryStop|}();
                [Transition(State.Unused, State.Stopped)] public partial bool {|#2:TryRetire|}();
            }
            """,
            DiagnosticResult.CompilerError("WVR0006").WithLocation(0),
            DiagnosticResult.CompilerError("CS8795").WithLocation(1),
            DiagnosticResult.CompilerError("CS8795").WithLocation(2));

    [Fact]
    public Task Transition_naming_a_state_of_another_enum_is_left_out_of_the_graph() =>
        Verify.VerifyAsync(
            """
            using Weaver;

            public enum Other { A, B }

            [TaskMachine]
            public partial class Poller
            {
                public enum State { [Initial] Idle, [Terminal] Stopped }

                [Transition(State.Idle, State.Stopped)] public partial bool {|#0:TryStop|}();
                [{|#1:Transition(Other.A, Other.B)|}] public partial bool {|#2:TryOther|}();
            }
            """,
            DiagnosticResult.CompilerError("CS8795").WithLocation(0),
            DiagnosticResult.CompilerError("WVR0009").WithLocation(1),
            DiagnosticResult.CompilerError("CS8795").WithLocation(2));
}
