namespace Weaver.Stores.Tests.Postgres;

/// <summary>
/// The test classes that share one <see cref="PostgresCluster"/>: it is started once for the whole test run (when the
/// first of them runs) and removed after the last. Mark a class <c>[Collection(PostgresCollection.Name)]</c>, take the
/// cluster in its constructor, and give it its own database with <see cref="PostgresCluster.CreateDatabaseAsync"/>.
/// Classes in one collection run one after another, so a test that stops the server stops no one else's test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
