using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Locks.HeldLockAnalyzer>;

namespace Weaver.Analyzers.Tests.Locks;

public sealed class WakeUpTests
{
    private const string Usings = "using System; using System.Threading; using System.Threading.Tasks;\n";

    [Fact]
    public Task Event_set_inside_a_lock_statement_is_reported_with_its_message() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly ManualResetEventSlim _ready = new();

            void Run()
            {
                lock (_gate)
                {
                    _ready.Set();
                }

                _ready.Set();
            }
        }
        """,
        Verify.Diagnostic("WVR0101")
            .WithSpan(11, 13, 11, 25)
            .WithMessage("'ManualResetEventSlim.Set' wakes up a waiter while the Monitor lock on '_gate' taken at line 9 is held; call it after releasing the lock"));

    [Fact]
    public Task Wait_handle_events_set_under_a_Lock_are_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly Lock _gate = new();
            private readonly AutoResetEvent _auto = new(false);
            private readonly ManualResetEvent _manual = new(false);

            void Run()
            {
                _gate.Enter();
                try
                {
                    {|WVR0101:_auto.Set()|};
                }
                finally
                {
                    _gate.Exit();
                }

                using (_gate.EnterScope())
                {
                    {|WVR0101:_manual.Set()|};
                }

                _auto.Set();
            }
        }
        """);

    [Fact]
    public Task Releasing_another_semaphore_is_reported_but_not_the_held_one() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly SemaphoreSlim _held = new(1, 1);
            private readonly SemaphoreSlim _signal = new(0);

            void Run()
            {
                _held.Wait();
                {|WVR0101:_signal.Release()|};
                _held.Release();
                _signal.Release();
            }
        }
        """);

    [Fact]
    public Task Completing_a_plain_task_completion_source_under_a_lock_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly TaskCompletionSource<int> _done = new();
            private readonly TaskCompletionSource _stopped = new();

            void Run(Exception error)
            {
                lock (_gate)
                {
                    {|WVR0101:_done.TrySetResult(1)|};
                    {|WVR0101:_done.TrySetException(error)|};
                    {|WVR0101:_stopped.SetCanceled()|};
                }
            }
        }
        """);

    [Fact]
    public Task Task_completion_source_created_with_run_continuations_asynchronously_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
            private TaskCompletionSource _next;

            C()
            {
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously | TaskCreationOptions.DenyChildAttach);
            }

            void Run()
            {
                var local = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    _done.SetResult(1);
                    _next.TrySetResult();
                    local.TrySetResult("done");
                    Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    _next.TrySetResult();
                }
            }
        }
        """);

    [Fact]
    public Task Completion_source_created_in_the_call_or_by_coalescing_assignment_is_followed() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private TaskCompletionSource<int>? _lazy;

            void Run()
            {
                var plain = new TaskCompletionSource<int>();
                lock (_gate)
                {
                    new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).SetResult();
                    {|WVR0101:new TaskCompletionSource().SetResult()|};
                    _lazy ??= new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _lazy.TrySetResult(1);
                    {|WVR0101:plain.TrySetResult(2)|};
                }
            }
        }
        """);

    [Fact]
    public Task Field_also_assigned_without_the_flag_is_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

            void Reset() => _done = new TaskCompletionSource<int>();

            void Run()
            {
                lock (_gate)
                {
                    {|WVR0101:_done.SetResult(1)|};
                }
            }
        }
        """);

    [Fact]
    public Task Derived_completion_source_passing_the_flag_to_its_base_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C<T>
        {
            private readonly object _gate = new();

            void Run(Waiter waiter, Eager eager, T item)
            {
                lock (_gate)
                {
                    waiter.TrySetResult(item);
                    waiter.TrySetCanceled();
                    {|WVR0101:eager.TrySetResult(item)|};
                }
            }

            public sealed class Waiter : TaskCompletionSource<T>
            {
                public Waiter()
                    : base(TaskCreationOptions.RunContinuationsAsynchronously)
                {
                }

                public Waiter(CancellationToken token)
                    : this()
                {
                    Token = token;
                }

                public CancellationToken Token { get; }
            }

            public sealed class Eager : TaskCompletionSource<T>
            {
                public Eager(object state)
                    : base(state)
                {
                }
            }
        }
        """);

    [Fact]
    public Task Task_queue_enqueue_and_schedule_under_a_lock_are_reported() => Verify.VerifyAsync(Usings + """
        using Weaver;

        class C
        {
            private readonly object _gate = new();
            private readonly TaskQueue<string> _queue = new();

            void Run(DateTimeOffset dueAt)
            {
                lock (_gate)
                {
                    {|WVR0101:_queue.Enqueue("a")|};
                    {|WVR0101:_queue.Schedule("b", dueAt)|};
                }

                _queue.Enqueue("c");
            }
        }
        """);

    [Fact]
    public Task Monitor_pulse_needs_the_lock_and_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();

            void Run()
            {
                lock (_gate)
                {
                    Monitor.Pulse(_gate);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Wake_up_after_a_try_enter_that_failed_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly ManualResetEventSlim _ready = new();

            void Run()
            {
                if (!Monitor.TryEnter(_gate))
                {
                    _ready.Set();
                    return;
                }

                try
                {
                    {|WVR0101:_ready.Set()|};
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                _ready.Set();
            }
        }
        """);

    [Fact]
    public Task Wake_up_in_a_lambda_defined_under_the_lock_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly ManualResetEventSlim _ready = new();
            private Action? _later;

            void Run()
            {
                lock (_gate)
                {
                    _later = () => _ready.Set();
                }
            }
        }
        """);

    [Fact]
    public Task Wake_up_under_a_lock_scope_is_reported() => Verify.VerifyAsync(Usings + """
        using Weaver;

        [LockScope]
        sealed class Held : IDisposable
        {
            public void Dispose()
            {
            }
        }

        class C
        {
            private readonly ManualResetEventSlim _ready = new();

            void Run()
            {
                using (new Held())
                {
                    {|WVR0101:_ready.Set()|};
                }

                _ready.Set();
            }
        }
        """);

    [Fact]
    public Task Severity_none_in_editorconfig_silences_the_rule() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly ManualResetEventSlim _ready = new();

            void Run()
            {
                lock (_gate)
                {
                    _ready.Set();
                }
            }
        }
        """,
        """
        root = true

        [*.cs]
        dotnet_diagnostic.WVR0101.severity = none
        """);
}
