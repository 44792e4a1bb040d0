using Xunit;
using Verify = Weaver.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Weaver.Analyzers.Locks.HeldLockAnalyzer>;

namespace Weaver.Analyzers.Tests.Locks;

public sealed class LockScopeAwaitTests
{
    private const string Locks = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Weaver;

        namespace MyApp;

        public sealed class Locks
        {
            [LockScope]
            public IDisposable Take() => new Releaser();

            public GateScope Enter() => new GateScope();

            public IDisposable Plain() => new Releaser();

            private sealed class Releaser : IDisposable
            {
                public void Dispose()
                {
                }
            }
        }

        [LockScope]
        public sealed class GateScope : IDisposable
        {
            public void Dispose()
            {
            }
        }

        """;

    [Fact]
    public Task Using_declaration_of_a_lock_scope_method_is_held_until_the_end_of_the_scope() => Verify.VerifyAsync(
        Locks + """
        class C
        {
            async Task Run(Locks locks)
            {
                using var held = locks.Take();
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("WVR0100").WithSpan(37, 9, 37, 27).WithArguments("the lock scope 'locks.Take()'", 36));

    [Fact]
    public Task Using_statement_releases_the_scope_before_the_await() => Verify.VerifyAsync(Locks + """
        class C
        {
            async Task Run(Locks locks)
            {
                using (locks.Take())
                {
                }

                using (var scope = locks.Take())
                {
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Explicit_dispose_releases_the_scope() => Verify.VerifyAsync(Locks + """
        class C
        {
            async Task Run(Locks locks)
            {
                var scope = locks.Take();
                {|WVR0100:await Task.Yield()|};
                scope.Dispose();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Type_marked_lock_scope_is_taken_by_its_constructor_and_by_methods_returning_it() => Verify.VerifyAsync(Locks + """
        class C
        {
            async Task Run(Locks locks)
            {
                using (var first = new GateScope())
                {
                    {|WVR0100:await Task.Yield()|};
                }

                using (locks.Enter())
                {
                    {|WVR0100:await Task.Yield()|};
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Struct_marked_lock_scope_is_held_until_disposed() => Verify.VerifyAsync(Locks + """
        [LockScope]
        public readonly struct Held : IDisposable
        {
            public void Dispose()
            {
            }
        }

        class C
        {
            async Task Run()
            {
                using (new Held())
                {
                }

                await Task.Yield();
                using var held = new Held();
                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Discarded_lock_scope_stays_held() => Verify.VerifyAsync(Locks + """
        class C
        {
            async Task Run(Locks locks)
            {
                locks.Take();
                {|WVR0100:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Unmarked_disposable_is_not_a_lock() => Verify.VerifyAsync(Locks + """
        class C
        {
            async Task Run(Locks locks)
            {
                using var plain = locks.Plain();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Editorconfig_names_lock_scope_methods_and_types() => Verify.VerifyAsync(
        """
        using System;
        using System.Threading.Tasks;

        namespace MyApp;

        public sealed class Gate
        {
            public IDisposable Take(string name) => new Handle();

            public IDisposable Take() => new Handle();
        }

        public sealed class Handle : IDisposable
        {
            public void Dispose()
            {
            }
        }

        class C
        {
            async Task Run(Gate gate)
            {
                using (gate.Take("a"))
                {
                    {|WVR0100:await Task.Yield()|};
                }

                using (gate.Take())
                {
                    await Task.Yield();
                }

                using (new Handle())
                {
                    {|WVR0100:await Task.Yield()|};
                }
            }
        }
        """,
        """
        root = true

        [*.cs]
        weaver.lock_scope = M:MyApp.Gate.Take(System.String), T:MyApp.Handle
        """);
}
