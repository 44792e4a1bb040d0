using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Weaver;

/// <summary>How a store-backed <see cref="JobCoordinator"/> runs (<see cref="JobCoordinator(IWeaverStore, HandlerRegistry, JobCoordinatorOptions?)"/>).</summary>
public sealed record JobCoordinatorOptions
{
    /// <summary>The clock of the coordinator's timers (deadlines, polling, heartbeats); the store judges leases by its own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How task inputs are written to the store and results read back, as for <see cref="WorkerGroupOptions.Json"/>:
    /// an ahead-of-time compiled application passes options whose resolver is its source-generated context.
    /// </summary>
    public JsonSerializerOptions? Json { get; init; }

    /// <summary>How often the coordinator reads the tasks it follows from the store.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The retry policy of a job task that names none.</summary>
    public RetryPolicy DefaultRetry { get; init; } = RetryPolicy.Default;

    /// <summary>This coordinator's name in its jobs' documents, to tell who coordinates a job; a default names the machine and process.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Where the coordinator logs what it could not do at once (a store that did not answer, a job taken over).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Checks the options, saying what is wrong and what is allowed.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public JobCoordinatorOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(DefaultRetry, nameof(DefaultRetry));
        DefaultRetry.Validate();
        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"PollInterval must be more than zero and at most 10 minutes; it is {PollInterval}.", nameof(PollInterval));
        }

        if (string.IsNullOrWhiteSpace(Owner))
        {
            throw new ArgumentException("Owner must name this coordinator; it is empty or white space.", nameof(Owner));
        }

        return this;
    }
}
