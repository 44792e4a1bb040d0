namespace Weaver;

/// <summary>
/// A store a Weaver host opens when it starts: what <see cref="WeaverOptions.UseInMemory"/>, <c>UseSqlite</c> and
/// <c>UsePostgreSql</c> choose. Store packages derive from it; an application can too, for a store of its own.
/// </summary>
public abstract class WeaverStoreProvider
{
    /// <summary>The store as messages name it, such as <c>SQLite file 'weaver.db'</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Checks the store's settings without opening anything. Called when the host starts, with the other checks of
    /// <see cref="WeaverOptions"/>.
    /// </summary>
    /// <param name="context">The host's settings, clock and loggers.</param>
    /// <returns>What is wrong, each saying what is allowed; empty when nothing is.</returns>
    public abstract IEnumerable<string> Validate(WeaverStoreContext context);

    /// <summary>
    /// Opens the store (creating or migrating its schema). Called once per host, at start or at the first use of the
    /// store or the job client, whichever comes first; the host disposes the store when it is disposed.
    /// </summary>
    /// <param name="context">The host's settings, handlers, clock and loggers.</param>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <returns>The open store. A <see cref="TaskEngine"/> gets the engine's own workers and job coordinator.</returns>
    public abstract Task<IWeaverStore> OpenAsync(WeaverStoreContext context, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => Description;

    /// <summary>
    /// The message of an <see cref="ArgumentException"/> from an options type's <c>Validate</c>, without the
    /// <c>(Parameter '...')</c> suffix (the messages already name the setting), for <see cref="Validate"/> to return.
    /// </summary>
    /// <param name="error">The exception.</param>
    /// <returns>Its message.</returns>
    protected internal static string ProblemOf(ArgumentException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.ParamName is null
            ? error.Message
            : error.Message.Replace($" (Parameter '{error.ParamName}')", string.Empty, StringComparison.Ordinal);
    }
}
