using Microsoft.CodeAnalysis.Testing;
using Weaver.Analyzers.Usage;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Usage.ResultDiscardedAnalyzer>;

namespace Weaver.Analyzers.Tests.Usage;

public sealed class ResultDiscardedTests
{
    private const string Machine = """
        using System;
        using Weaver;

        [TaskMachine]
        public partial class Job
        {
            public enum State { [Initial] Queued, Running, [Terminal] Done }

            [Transition(State.Queued, State.Running)]
            public partial bool TryStart();

            [Transition(State.Running, State.Done)]
            public partial bool TryFinish(string note);

            public bool TryNothing() => false;
        }

        """;

    [Fact]
    public async Task A_trigger_used_as_a_statement_is_reported_with_what_false_means()
    {
        var source = Machine + """
            public static class Use
            {
                public static void Run(Job job) => {|#0:job.TryStart()|};
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult(UsageDiagnostics.ResultDiscarded)
            .WithLocation(0)
            .WithArguments("Job.TryStart", "the current state does not permit 'TryStart' or its guard refuses (nothing changed)"));
    }

    [Fact]
    public async Task Triggers_in_blocks_lambdas_and_conditional_access_are_reported()
    {
        var source = Machine + """
            public static class Use
            {
                public static void Run(Job job, Job? maybe)
                {
                    [|job.TryFinish("x")|];
                    maybe?[|.TryStart()|];
                    Action later = () => [|job.TryStart()|];
                    later();
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_checked_or_explicitly_discarded_result_is_not_reported()
    {
        var source = Machine + """
            public static class Use
            {
                public static bool Run(Job job)
                {
                    if (!job.TryStart()) return false;
                    var finished = job.TryFinish("x");
                    _ = job.TryStart();
                    Func<bool> check = () => job.TryStart();
                    return finished && check();
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_bool_method_of_a_machine_that_is_not_a_trigger_is_not_reported()
    {
        var source = Machine + """
            public static class Use
            {
                public static void Run(Job job) => job.TryNothing();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Claim_table_calls_used_as_statements_are_reported_including_a_machine_s_own_table()
    {
        var source = Machine + """
            public static class Use
            {
                public static void Run(ClaimTable<string> table, Job.ClaimTable jobs, Lease<string> lease, MachineKey<Job> key)
                {
                    {|#0:table.TryClaim("a", "w1", out _)|};
                    [|table.TryRenew(lease, out _)|];
                    [|table.TryRelease(lease)|];
                    [|table.TryExpire("a", out _)|];
                    [|jobs.TryClaim(key, "w1", out _)|];
                    table.TryGetHolder("a", out _);
                }
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult(UsageDiagnostics.ResultDiscarded)
            .WithLocation(0)
            .WithArguments("ClaimTable.TryClaim", "the key is held by another owner or the lease is no longer current (nothing changed)"));
    }

    [Fact]
    public async Task An_editorconfig_severity_of_none_silences_it()
    {
        var source = Machine + """
            public static class Use
            {
                public static void Run(Job job) => job.TryStart();
            }
            """;

        await Verify.VerifyAsync(source, "root = true\n[*]\ndotnet_diagnostic.WVR0120.severity = none\n");
    }
}
