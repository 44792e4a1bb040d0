namespace Weaver.Samples.Tests.Infrastructure;

/// <summary>Runs one sample once for a test class, whose tests then each check a part of what it wrote.</summary>
/// <param name="name">The sample's project name.</param>
public abstract class SampleRunFixture(string name) : IAsyncLifetime
{
    private SampleRun? _run;

    /// <summary>How the run ended.</summary>
    public SampleRun Run => _run ?? throw new InvalidOperationException($"Sample {name} has not run yet.");

    public async Task InitializeAsync() => _run = await SampleProcess.RunAsync(name);

    public Task DisposeAsync() => Task.CompletedTask;
}
