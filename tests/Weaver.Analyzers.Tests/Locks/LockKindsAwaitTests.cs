using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Locks.HeldLockAnalyzer>;

namespace Weaver.Analyzers.Tests.Locks;

public sealed class LockKindsAwaitTests
{
    private const string Usings = "using System; using System.Threading; using System.Threading.Tasks;\n";

    [Fact]
    public Task Lock_enter_is_reported_until_exit() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly Lock _gate = new();

            async Task Run()
            {
                _gate.Enter();
                await Task.Yield();
                _gate.Exit();
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100").WithSpan(9, 9, 9, 27).WithArguments("the Lock '_gate'", 8));

    [Fact]
    public Task Lock_try_enter_that_failed_is_not_held() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly Lock _gate = new();

            async Task Run()
            {
                if (_gate.TryEnter(TimeSpan.FromMilliseconds(10)))
                {
                    _gate.Exit();
                }
                else
                {
                    await Task.Yield();
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task SpinLock_with_taken_flag_is_reported_until_released_in_finally() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private SpinLock _spin = new(false);

            async Task Run()
            {
                var taken = false;
                try
                {
                    _spin.Enter(ref taken);
                    await Task.Yield();
                }
                finally
                {
                    if (taken)
                    {
                        _spin.Exit();
                    }
                }

                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100").WithSpan(12, 13, 12, 31).WithArguments("the SpinLock '_spin'", 11));

    [Fact]
    public Task SpinLock_try_enter_tested_false_is_not_held() => Verify.VerifyAsync(Usings + """
        class C
        {
            private SpinLock _spin = new(false);

            async Task Run()
            {
                var taken = false;
                _spin.TryEnter(10, ref taken);
                if (!taken)
                {
                    await Task.Yield();
                    return;
                }

                _spin.Exit();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reader_writer_modes_are_released_by_their_own_exit() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();

            async Task Run()
            {
                _rw.EnterReadLock();
                _rw.ExitWriteLock();
                await Task.Yield();
                _rw.ExitReadLock();
                _rw.EnterUpgradeableReadLock();
                _rw.EnterWriteLock();
                _rw.ExitWriteLock();
                await Task.Yield();
                _rw.ExitUpgradeableReadLock();
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100").WithSpan(10, 9, 10, 27).WithArguments("the read lock of '_rw'", 8),
        Verify.Diagnostic("WVR0100").WithSpan(15, 9, 15, 27).WithArguments("the upgradeable read lock of '_rw'", 12));

    [Fact]
    public Task Reader_writer_try_enter_write_lock_is_held_on_success() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();

            async Task Run()
            {
                if (_rw.TryEnterWriteLock(100))
                {
                    try
                    {
                        {|WVR0100:await Task.Yield()|};
                    }
                    finally
                    {
                        _rw.ExitWriteLock();
                    }
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Mutex_wait_one_is_reported_until_release_mutex() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly Mutex _mutex = new();
            private readonly EventWaitHandle _event = new(false, EventResetMode.AutoReset);

            async Task Run()
            {
                _event.WaitOne();
                await Task.Yield();
                _mutex.WaitOne();
                await Task.Yield();
                _mutex.ReleaseMutex();
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100").WithSpan(12, 9, 12, 27).WithArguments("the Mutex '_mutex'", 11));

    [Fact]
    public Task SemaphoreSlim_wait_is_reported_until_release() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            async Task Run()
            {
                _semaphore.Wait();
                try
                {
                    await Task.Yield();
                }
                finally
                {
                    _semaphore.Release();
                }

                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100").WithSpan(11, 13, 11, 31).WithArguments("the SemaphoreSlim '_semaphore'", 8));

    [Fact]
    public Task SemaphoreSlim_wait_with_timeout_that_failed_is_not_held() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            async Task Run()
            {
                if (!_semaphore.Wait(TimeSpan.FromSeconds(1)))
                {
                    await Task.Yield();
                    return;
                }

                _semaphore.Release();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task SemaphoreSlim_wait_async_is_the_async_lock_and_is_not_reported() => Verify.VerifyAsync(Usings + """
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            async Task Run()
            {
                await _semaphore.WaitAsync();
                try
                {
                    await Task.Yield();
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task Lock_enter_scope_is_held_until_its_scope_is_disposed() => Verify.VerifyAsync(
        Usings + """
        class C
        {
            private readonly Lock _gate = new();

            async Task Run()
            {
                var scope = _gate.EnterScope();
                scope.Dispose();
                await Task.Yield();
                using (_gate.EnterScope())
                {
                }

                await Task.Yield();
            }
        }
        """);
}
