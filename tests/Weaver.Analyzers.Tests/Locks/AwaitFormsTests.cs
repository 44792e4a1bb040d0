using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Locks.HeldLockAnalyzer>;

namespace Weaver.Analyzers.Tests.Locks;

public sealed class AwaitFormsTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks;\n";

    [Fact]
    public Task Await_in_a_lambda_defined_under_the_lock_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private Func<Task>? _later;

            void Run()
            {
                Monitor.Enter(_gate);
                _later = async () => await Task.Yield();
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Await_in_a_local_function_defined_under_the_lock_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            Func<Task> Run()
            {
                Monitor.Enter(_gate);
                try
                {
                    return Later;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                async Task Later() => await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Lambda_that_takes_a_lock_and_awaits_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            Func<Task> Run() => async () =>
            {
                Monitor.Enter(_gate);
                {|WVR0100:await Task.Yield()|};
                Monitor.Exit(_gate);
            };
        }
        """);

    [Fact]
    public Task Local_function_that_takes_a_lock_and_awaits_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            Task Run()
            {
                return Locked();

                async Task Locked()
                {
                    Monitor.Enter(_gate);
                    {|WVR0100:await Task.Yield()|};
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Await_foreach_under_the_lock_is_reported_on_its_keywords() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(IAsyncEnumerable<int> items)
            {
                Monitor.Enter(_gate);
                {|WVR0100:await foreach|} (var item in items)
                {
                    Console.WriteLine(item);
                }

                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Await_using_under_the_lock_is_reported_on_its_keywords() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(Func<IAsyncDisposable> open)
            {
                Monitor.Enter(_gate);
                {|WVR0100:await using|} (open())
                {
                }

                Monitor.Exit(_gate);
                {|WVR0100:await using|} var resource = open();
                Monitor.Enter(_gate); // still held when the declaration's scope ends and its disposal is awaited
            }
        }
        """);

    [Fact]
    public Task Await_in_a_return_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task<int> Run(Task<int> value)
            {
                Monitor.Enter(_gate);
                return {|WVR0100:await value|};
            }
        }
        """);

    [Fact]
    public Task Severity_none_in_editorconfig_silences_the_rule() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                Monitor.Enter(_gate);
                await Task.Yield();
            }
        }
        """,
        """
        root = true

        [*.cs]
        dotnet_diagnostic.WVR0100.severity = none
        """);
}
