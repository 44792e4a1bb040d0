global using Xunit;

// Each test runs the sample, which runs several agents on a 2-core machine: one at a time keeps their leases honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
