using Weaver.Testing.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// The store tests' shared <see cref="PostgresServer"/>, as an xunit fixture of <see cref="PostgresCollection"/>: a
/// server as <see cref="PostgresClusterOptions.FromEnvironment"/> says. <see cref="PostgresFactAttribute"/> tests are
/// skipped when there is none outside CI. xunit passes its diagnostic sink, on which the fixture says which server it
/// uses or why the PostgreSQL tests are skipped (<c>dotnet test</c> shows no skip reasons, but prints these messages
/// since xunit.runner.json enables them).
/// </summary>
public sealed class PostgresCluster(IMessageSink diagnostics)
    : PostgresServer(PostgresClusterOptions.FromEnvironment(), message => diagnostics.OnMessage(new DiagnosticMessage(message))), IAsyncLifetime;
