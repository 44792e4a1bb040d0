using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    Weaver.Analyzers.TerminalStates.TerminalSwitchAnalyzer,
    Weaver.Analyzers.CodeFixes.TerminalStates.AddMissingTerminalCasesCodeFix>;

namespace Weaver.Analyzers.Tests.TerminalStates;

public sealed class AddMissingTerminalCasesCodeFixTests
{
    private const string Machine = """
        using Weaver;

        [TaskMachine]
        public partial class ReviewTask
        {
            public enum State { [Initial] Queued, Running, [Terminal] Succeeded, [Terminal] Dead, [Terminal] Cancelled }

            [Transition(State.Queued, State.Running)] public partial bool TryStart();
            [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
            [Transition(State.Running, State.Dead)] public partial bool TryKill();
            [Transition(State.Queued, State.Cancelled)] public partial bool TryCancel();
        }

        """;

    [Fact]
    public Task Statement_gets_the_missing_cases_before_its_default_section() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    {|WVR0110:switch|} (state)
                    {
                        case ReviewTask.State.Succeeded:
                            return "done";
                        default:
                            return "other";
                    }
                }
            }
            """,
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Succeeded:
                            return "done";
                        case ReviewTask.State.Dead:
                            throw new System.NotImplementedException();
                        case ReviewTask.State.Cancelled:
                            throw new System.NotImplementedException();
                        default:
                            return "other";
                    }
                }
            }
            """);

    [Fact]
    public Task Statement_without_default_gets_the_missing_cases_at_its_end() =>
        Verify.VerifyAsync(
            "using System;\n" + Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    {|WVR0110:switch|} (state)
                    {
                        case ReviewTask.State.Succeeded:
                        case ReviewTask.State.Cancelled:
                            return "over";
                    }

                    return "busy";
                }
            }
            """,
            "using System;\n" + Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Succeeded:
                        case ReviewTask.State.Cancelled:
                            return "over";
                        case ReviewTask.State.Dead:
                            throw new NotImplementedException();
                    }

                    return "busy";
                }
            }
            """);

    [Fact]
    public Task Expression_gets_the_missing_arms_before_its_discard_arm() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state) => state {|WVR0110:switch|}
                {
                    ReviewTask.State.Succeeded => true,
                    _ => false,
                };
            }
            """,
            Machine + """
            public static class Report
            {
                public static bool IsFinished(ReviewTask.State state) => state switch
                {
                    ReviewTask.State.Succeeded => true,
                    ReviewTask.State.Dead => throw new System.NotImplementedException(),
                    ReviewTask.State.Cancelled => throw new System.NotImplementedException(),
                    _ => false,
                };
            }
            """);

    [Fact]
    public Task Expression_without_discard_gets_the_missing_arms_at_its_end() =>
        Verify.VerifyAsync(
            Machine + """
            public partial class ReviewTask
            {
                public static bool IsBusy(State state) => state {|WVR0110:switch|}
                {
                    State.Queued or State.Running => true,
                    State.Succeeded => false
                };
            }
            """,
            Machine + """
            public partial class ReviewTask
            {
                public static bool IsBusy(State state) => state switch
                {
                    State.Queued or State.Running => true,
                    State.Succeeded => false,
                    State.Dead => throw new System.NotImplementedException(),
                    State.Cancelled => throw new System.NotImplementedException()
                };
            }
            """);

    [Fact]
    public Task Fix_all_handles_every_switch_of_the_document_nested_ones_included() =>
        Verify.VerifyAsync(
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state, ReviewTask.State? previous)
                {
                    {|WVR0110:switch|} (state)
                    {
                        case ReviewTask.State.Succeeded:
                            return previous {|WVR0110:switch|}
                            {
                                ReviewTask.State.Running => "finished while running",
                                _ => "finished",
                            };
                        default:
                            return "busy";
                    }
                }

                public static bool IsFinished(ReviewTask.State state) => state {|WVR0110:switch|}
                {
                    ReviewTask.State.Dead => true,
                    var other => false,
                };
            }
            """,
            Machine + """
            public static class Report
            {
                public static string Describe(ReviewTask.State state, ReviewTask.State? previous)
                {
                    switch (state)
                    {
                        case ReviewTask.State.Succeeded:
                            return previous switch
                            {
                                ReviewTask.State.Running => "finished while running",
                                ReviewTask.State.Succeeded => throw new System.NotImplementedException(),
                                ReviewTask.State.Dead => throw new System.NotImplementedException(),
                                ReviewTask.State.Cancelled => throw new System.NotImplementedException(),
                                _ => "finished",
                            };
                        case ReviewTask.State.Dead:
                            throw new System.NotImplementedException();
                        case ReviewTask.State.Cancelled:
                            throw new System.NotImplementedException();
                        default:
                            return "busy";
                    }
                }

                public static bool IsFinished(ReviewTask.State state) => state switch
                {
                    ReviewTask.State.Dead => true,
                    ReviewTask.State.Succeeded => throw new System.NotImplementedException(),
                    ReviewTask.State.Cancelled => throw new System.NotImplementedException(),
                    var other => false,
                };
            }
            """);

    [Fact]
    public Task Fix_all_handles_switches_across_the_documents_of_the_project() =>
        Verify.VerifyAsync(
            [
                Machine + """
                public partial class ReviewTask
                {
                    public static string Describe(State state) => state {|WVR0110:switch|}
                    {
                        State.Succeeded => "done",
                        _ => "other",
                    };
                }
                """,
                """
                public static class Report
                {
                    public static void Print(ReviewTask.State state)
                    {
                        {|WVR0110:switch|} (state)
                        {
                            case ReviewTask.State.Dead:
                                System.Console.WriteLine("dead");
                                break;
                        }
                    }
                }
                """,
            ],
            [
                Machine + """
                public partial class ReviewTask
                {
                    public static string Describe(State state) => state switch
                    {
                        State.Succeeded => "done",
                        State.Dead => throw new System.NotImplementedException(),
                        State.Cancelled => throw new System.NotImplementedException(),
                        _ => "other",
                    };
                }
                """,
                """
                public static class Report
                {
                    public static void Print(ReviewTask.State state)
                    {
                        switch (state)
                        {
                            case ReviewTask.State.Dead:
                                System.Console.WriteLine("dead");
                                break;
                            case ReviewTask.State.Succeeded:
                                throw new System.NotImplementedException();
                            case ReviewTask.State.Cancelled:
                                throw new System.NotImplementedException();
                        }
                    }
                }
                """,
            ]);
}
