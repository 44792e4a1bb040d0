namespace Weaver;

/// <summary>A job (or saga) as a store holds it; every change is a compare-and-set on <see cref="Revision"/>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="State">Its state's name.</param>
/// <param name="Document">Everything else about it, as JSON.</param>
/// <param name="Revision">1 when created, one more with each accepted update.</param>
/// <param name="CreatedAt">When it was stored (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record StoredJob(string Id, string State, string Document, long Revision, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
