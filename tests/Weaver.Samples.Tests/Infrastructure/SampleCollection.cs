namespace Weaver.Samples.Tests.Infrastructure;

/// <summary>
/// The sample runs, one at a time: the samples use short real-time leases, so they are not made to compete with each
/// other for the machine's cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCollection
{
    public const string Name = "Samples";
}
