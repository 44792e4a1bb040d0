namespace Weaver;

/// <summary>A job was created with an id that is already in the store; the stored job was left as it was.</summary>
public sealed class DuplicateJobException : Exception
{
    /// <summary>Creates the exception for <paramref name="jobId"/>.</summary>
    /// <param name="jobId">The id in use.</param>
    public DuplicateJobException(string jobId)
        : base($"A job with id '{jobId}' already exists; job ids must be unique, and a create never replaces a job.")
    {
        JobId = jobId;
    }

    /// <summary>The id in use.</summary>
    public string JobId { get; }
}
