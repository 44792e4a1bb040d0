using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Locks.HeldLockAnalyzer>;

namespace Weaver.Analyzers.Tests.Locks;

public sealed class MonitorAwaitTests
{
    private const string Usings = "using System; using System.Threading; using System.Threading.Tasks;\n";

    [Fact]
    public Task Await_after_enter_without_exit_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                Monitor.Enter(_gate);
                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Message_names_the_lock_and_the_line_that_took_it() => Verify.VerifyAsync(
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
        Verify.Diagnostic("WVR0100")
            .WithSpan(9, 9, 9, 27)
            .WithMessage("'await' runs while the Monitor lock on '_gate' taken at line 8 is held; release it before awaiting, or use SemaphoreSlim.WaitAsync for a lock that can be held across an await"));

    [Fact]
    public Task Await_after_exit_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                Monitor.Enter(_gate);
                Monitor.Exit(_gate);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Exit_in_finally_releases_before_the_await() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(int n)
            {
                Monitor.Enter(_gate);
                try
                {
                    if (n > 0)
                    {
                        return;
                    }
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Await_inside_try_before_the_finally_exit_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                Monitor.Enter(_gate);
                try
                {
                    {|WVR0100:await Task.Yield()|};
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Exit_on_only_one_branch_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(bool quick)
            {
                Monitor.Enter(_gate);
                if (quick)
                {
                    Monitor.Exit(_gate);
                }

                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Early_return_that_releases_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(bool quick)
            {
                Monitor.Enter(_gate);
                if (quick)
                {
                    Monitor.Exit(_gate);
                    await Task.Yield();
                    return;
                }

                Monitor.Exit(_gate);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Lock_taken_and_released_in_an_inner_block_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private int _count;

            async Task Run()
            {
                {
                    Monitor.Enter(_gate);
                    _count++;
                    Monitor.Exit(_gate);
                }

                lock (_gate)
                {
                    _count++;
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Nested_locks_name_the_innermost() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly object _outer = new();
            private readonly object _inner = new();

            async Task Run()
            {
                Monitor.Enter(_outer);
                Monitor.Enter(_inner);
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100")
            .WithSpan(11, 9, 11, 27)
            .WithArguments("the Monitor lock on '_inner'", 10));

    [Fact]
    public Task Releasing_the_inner_lock_still_reports_the_outer() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly object _outer = new();
            private readonly object _inner = new();

            async Task Run()
            {
                Monitor.Enter(_outer);
                Monitor.Enter(_inner);
                Monitor.Exit(_inner);
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100")
            .WithSpan(12, 9, 12, 27)
            .WithArguments("the Monitor lock on '_outer'", 9));

    [Fact]
    public Task Failed_try_enter_is_not_held() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                if (!Monitor.TryEnter(_gate))
                {
                    await Task.Yield();
                    return;
                }

                try
                {
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Successful_try_enter_is_held() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                if (Monitor.TryEnter(_gate, TimeSpan.FromSeconds(1)))
                {
                    {|WVR0100:await Task.Yield()|};
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Taken_flag_released_in_finally_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                var taken = false;
                try
                {
                    Monitor.Enter(_gate, ref taken);
                }
                finally
                {
                    if (taken)
                    {
                        Monitor.Exit(_gate);
                    }
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Taken_flag_of_try_enter_is_followed() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                var taken = false;
                Monitor.TryEnter(_gate, 100, ref taken);
                if (!taken)
                {
                    await Task.Yield();
                    return;
                }

                {|WVR0100:await Task.Delay(1)|};
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Try_enter_result_stored_in_a_local_is_followed() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                bool entered = Monitor.TryEnter(_gate);
                if (entered)
                {
                    Monitor.Exit(_gate);
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Lock_taken_at_the_end_of_a_loop_iteration_is_reported_at_the_next() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    {|WVR0100:await Task.Yield()|};
                    Monitor.Enter(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Break_out_of_the_locked_region_without_release_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(int n)
            {
                while (true)
                {
                    Monitor.Enter(_gate);
                    if (n > 3)
                    {
                        break;
                    }

                    Monitor.Exit(_gate);
                }

                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Break_and_continue_after_release_are_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    Monitor.Enter(_gate);
                    if (i == 1)
                    {
                        Monitor.Exit(_gate);
                        continue;
                    }

                    if (i > 3)
                    {
                        Monitor.Exit(_gate);
                        break;
                    }

                    Monitor.Exit(_gate);
                    await Task.Yield();
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Goto_out_of_the_locked_region_without_release_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(bool skip)
            {
                Monitor.Enter(_gate);
                if (skip)
                {
                    goto done;
                }

                Monitor.Exit(_gate);
                return;
            done:
                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Goto_after_release_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run(bool skip)
            {
                Monitor.Enter(_gate);
                if (skip)
                {
                    Monitor.Exit(_gate);
                    goto done;
                }

                Monitor.Exit(_gate);
                return;
            done:
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Lock_object_reached_through_a_property_matches_its_exit() => Verify.VerifyAsync(Usings + """
        class Record
        {
            public object Gate { get; } = new();
        }

        class C
        {
            async Task Run(Record record)
            {
                Monitor.Enter(record.Gate);
                Monitor.Exit(record.Gate);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Exit_of_another_object_does_not_release() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly object _other = new();

            async Task Run()
            {
                Monitor.Enter(_gate);
                Monitor.Exit(_other);
                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Lock_on_this_matches_its_exit_by_expression() => Verify.VerifyAsync(Usings + """
        class C
        {
            async Task Run()
            {
                Monitor.Enter(this);
                Monitor.Exit(this);
                await Task.Yield();
                Monitor.Enter(this);
                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Exception_handler_under_the_lock_is_reported_but_not_after_a_lock_statement() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            async Task Run()
            {
                try
                {
                    lock (_gate)
                    {
                        Console.WriteLine();
                    }
                }
                catch (InvalidOperationException)
                {
                    await Task.Yield();
                }

                Monitor.Enter(_gate);
                try
                {
                    Console.WriteLine();
                }
                catch (InvalidOperationException)
                {
                    {|WVR0100:await Task.Yield()|};
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }
        """);
}
