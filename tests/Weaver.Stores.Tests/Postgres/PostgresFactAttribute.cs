using Weaver.Testing.Postgres;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// A <see cref="FactAttribute"/> for tests that need PostgreSQL. It is skipped, with the reason from
/// <see cref="PostgresTestEnvironment.SkipReason"/> shown by the test runner, when no server can be had outside CI;
/// under <c>CI=true</c> it runs and fails instead. xunit 2 cannot skip from inside a running test, so the decision is
/// made here, at discovery.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    private string? explicitSkip;

    /// <summary>What the test needs besides a server; <see cref="PostgresRequirement.Server"/> by default.</summary>
    public PostgresRequirement Requires { get; set; } = PostgresRequirement.Server;

    public override string? Skip
    {
        get => explicitSkip ?? PostgresTestEnvironment.SkipReason(Requires);
        set => explicitSkip = value;
    }
}
