namespace Weaver;

/// <summary>A job's identity: the spec's <see cref="JobSpec.Id"/> when it has one, otherwise a generated id.</summary>
/// <param name="Value">The id; not empty or white space.</param>
public readonly record struct JobId(string Value)
{
    /// <summary>The id.</summary>
    /// <exception cref="ArgumentException">The id is null, empty or white space.</exception>
    public string Value { get; } = !string.IsNullOrWhiteSpace(Value)
        ? Value
        : throw new ArgumentException("A job id must not be null, empty or white space; use JobId.New() for a generated id.", nameof(Value));

    /// <summary>A new, globally unique id (a GUID in 32 hex digits).</summary>
    /// <returns>The id.</returns>
    public static JobId New() => new(Guid.NewGuid().ToString("N"));

    /// <summary>The id itself, so a job id reads as its value in messages and logs.</summary>
    /// <returns><see cref="Value"/>; empty for <c>default(JobId)</c>.</returns>
    public override string ToString() => Value ?? "";
}
