using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Usage.BlockingCallInHandlerAnalyzer>;
using Microsoft.CodeAnalysis.Testing;
using Weaver.Analyzers.Usage;

namespace Weaver.Analyzers.Tests.Usage;

public sealed class BlockingCallInHandlerTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Weaver;

        """;

    [Fact]
    public async Task Thread_Sleep_in_HandleAsync_is_reported_with_the_handler_and_the_fix()
    {
        var source = Usings + """
            [TaskHandler("sleepy")]
            public sealed partial class Sleepy : ITaskHandler<int, int>
            {
                public ValueTask<int> HandleAsync(int input, TaskContext context)
                {
                    {|#0:Thread.Sleep(10)|};
                    return ValueTask.FromResult(input);
                }
            }
            """;

        await Verify.VerifyAsync(source, new DiagnosticResult(UsageDiagnostics.BlockingCallInHandler)
            .WithLocation(0)
            .WithArguments("Thread.Sleep", "Sleepy", "use 'await Task.Delay(delay, context.CancellationToken)' instead"));
    }

    [Fact]
    public async Task Result_Wait_WaitAll_and_GetResult_are_reported_in_every_member_lambda_and_local_function()
    {
        var source = Usings + """
            [TaskHandler("blocking")]
            public sealed partial class Blocking : ITaskHandler<int, int>
            {
                public ValueTask<int> HandleAsync(int input, TaskContext context)
                {
                    var first = [|Fetch().Result|];
                    [|Fetch().Wait()|];
                    [|Task.WaitAll(Fetch(), Fetch())|];
                    var second = [|Fetch().GetAwaiter().GetResult()|];
                    var third = [|FetchValue().GetAwaiter().GetResult()|];
                    var fourth = [|Fetch().ConfigureAwait(false).GetAwaiter().GetResult()|];
                    Func<int> later = () => [|Fetch().Result|];
                    int Local() => [|FetchValue().Result|];
                    return ValueTask.FromResult(first + second + third + fourth + later() + Local() + Helper());
                }

                private int Helper() => [|Fetch().Result|];

                private static Task<int> Fetch() => Task.FromResult(1);

                private static ValueTask<int> FetchValue() => ValueTask.FromResult(1);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Awaiting_and_blocking_outside_handlers_are_not_reported()
    {
        var source = Usings + """
            [TaskHandler("polite")]
            public sealed partial class Polite : ITaskHandler<int, int>
            {
                public async ValueTask<int> HandleAsync(int input, TaskContext context)
                {
                    await Task.Delay(1, context.CancellationToken);
                    var value = await Fetch();
                    return value + input;
                }

                private static Task<int> Fetch() => Task.FromResult(1);
            }

            public static class NotAHandler
            {
                public static int Run()
                {
                    Thread.Sleep(1);
                    return Task.FromResult(1).Result;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task A_handler_without_the_attribute_is_still_a_handler()
    {
        var source = Usings + """
            public sealed class Plain : ITaskHandler<int, int>
            {
                public ValueTask<int> HandleAsync(int input, TaskContext context)
                {
                    [|Thread.Sleep(1)|];
                    return ValueTask.FromResult(input);
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
