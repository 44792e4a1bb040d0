namespace Weaver;

/// <summary>No job with the given id was submitted to this client.</summary>
public sealed class JobNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception for <paramref name="jobId"/>.</summary>
    /// <param name="jobId">The id that was asked for.</param>
    public JobNotFoundException(JobId jobId)
        : base($"No job has id '{jobId}': it was never submitted to this client, nor is it in this client's store.")
    {
        JobId = jobId;
    }

    /// <summary>The id that was asked for.</summary>
    public JobId JobId { get; }
}
