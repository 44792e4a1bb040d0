using System.Diagnostics.CodeAnalysis;

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

    /// <summary>The store's options made by the host, then changed by the application's <paramref name="configure"/>, if any.</summary>
    /// <typeparam name="TOptions">The store's options type.</typeparam>
    /// <param name="defaults">The options the host makes from its own settings.</param>
    /// <param name="configure">What the application passed to the <c>Use...</c> method; null when nothing.</param>
    /// <param name="method">The <c>Use...</c> method, for the error.</param>
    /// <returns>The options to open the store with.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="configure"/> returned null.</exception>
    protected static TOptions Configure<TOptions>(TOptions defaults, Func<TOptions, TOptions>? configure, string method)
        where TOptions : class =>
        configure is null
            ? defaults
            : configure(defaults) ?? throw new InvalidOperationException($"{method}'s configure returned null; return the options it was given, changed with 'with'.");

    /// <summary>
    /// Makes the store's options for <see cref="Validate"/>: what <paramref name="make"/> throws (an options type's
    /// <see cref="ArgumentException"/>, or <see cref="Configure"/>'s error) becomes the problem to return.
    /// </summary>
    /// <typeparam name="TOptions">The store's options type.</typeparam>
    /// <param name="method">The <c>Use...</c> method the settings were passed to, which the problem names.</param>
    /// <param name="make">Makes (and validates) the options.</param>
    /// <param name="options">The options, when they could be made.</param>
    /// <param name="problem">What is wrong, when they could not.</param>
    /// <returns>Whether the options could be made.</returns>
    protected static bool TryMakeOptions<TOptions>(
        string method,
        Func<TOptions> make,
        [NotNullWhen(true)] out TOptions? options,
        [NotNullWhen(false)] out string? problem)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(make);
        options = null;
        try
        {
            options = make();
            problem = null;
            return true;
        }
        catch (ArgumentException error)
        {
            problem = $"{method}: {ProblemOf(error)}";
        }
        catch (InvalidOperationException error)
        {
            problem = error.Message;
        }

        return false;
    }

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
