namespace Weaver.Benchmarks.Stores;

/// <summary>
/// Marks a benchmark class that needs a PostgreSQL server: when there is none (<see cref="BenchmarkPostgres.SkipReason"/>),
/// the program leaves the class out of the run and prints why.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresPostgreSqlAttribute : Attribute;
