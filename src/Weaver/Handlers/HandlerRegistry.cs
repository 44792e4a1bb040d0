using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Weaver;

/// <summary>
/// The task kinds a worker can run, by name. Fill it at startup with the generated
/// <c>WeaverHandlers.RegisterAll(registry)</c> (or <see cref="Add"/>), then look handlers up from any thread.
/// </summary>
/// <remarks>
/// Names compare ordinally (case-sensitive), as the generator compares them when it checks for duplicates. Lookups
/// take no lock: <see cref="Add"/> publishes a new snapshot, so a lookup sees each registration completely or not at all.
/// </remarks>
public sealed class HandlerRegistry
{
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>The registered task kinds, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _snapshot.Names;

    /// <summary>How many task kinds are registered.</summary>
    public int Count => _snapshot.Names.Count;

    /// <summary>Adds <paramref name="registration"/> under its <see cref="HandlerRegistration.Name"/>.</summary>
    /// <param name="registration">The registration to add.</param>
    /// <returns>This registry, to chain calls.</returns>
    /// <exception cref="ArgumentException">
    /// Its name is already registered (the message names both handlers), or its handler takes services and the
    /// registration is not bound to a provider (<see cref="HandlerRegistration.NeedsServices"/>).
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="registration"/> is null.</exception>
    public HandlerRegistry Add(HandlerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.NeedsServices)
        {
            throw new ArgumentException(HandlerRegistration.UnboundMessage(registration.Name, registration.HandlerType), nameof(registration));
        }

        lock (_gate)
        {
            var current = _snapshot;
            if (current.ByName.TryGetValue(registration.Name, out var existing))
            {
                throw new ArgumentException(
                    $"Task handler name '{registration.Name}' is already registered, by {TypeNames.Display(existing.HandlerType)}; " +
                    $"{TypeNames.Display(registration.HandlerType)} cannot be registered under it too. Give each [TaskHandler] its own name.",
                    nameof(registration));
            }

            var byName = new Dictionary<string, HandlerRegistration>(current.ByName, StringComparer.Ordinal)
            {
                [registration.Name] = registration,
            };
            _snapshot = new Snapshot(byName, Array.AsReadOnly<string>([.. current.Names, registration.Name]));
        }

        return this;
    }

    /// <summary>Looks up the handler of task kind <paramref name="name"/>.</summary>
    /// <param name="name">The task kind.</param>
    /// <param name="registration">The registration, when found.</param>
    /// <returns>Whether <paramref name="name"/> is registered.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public bool TryGet(string name, [MaybeNullWhen(false)] out HandlerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _snapshot.ByName.TryGetValue(name, out registration);
    }

    /// <summary>Gets the handler of task kind <paramref name="name"/>.</summary>
    /// <param name="name">The task kind.</param>
    /// <returns>Its registration.</returns>
    /// <exception cref="KeyNotFoundException"><paramref name="name"/> is not registered (the message lists the names that are).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public HandlerRegistration Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var snapshot = _snapshot;
        if (snapshot.ByName.TryGetValue(name, out var registration))
        {
            return registration;
        }

        var registered = snapshot.Names.Count == 0
            ? "none is registered"
            : "registered: " + string.Join(", ", snapshot.Names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
        throw new KeyNotFoundException(
            $"No task handler is registered under the name '{name}' ({registered}). Declare a [TaskHandler(\"{name}\")] class " +
            "and add it with WeaverHandlers.RegisterAll(registry), or submit the task under a registered name.");
    }

    private sealed record Snapshot(Dictionary<string, HandlerRegistration> ByName, ReadOnlyCollection<string> Names)
    {
        public static Snapshot Empty { get; } = new(new Dictionary<string, HandlerRegistration>(StringComparer.Ordinal), ReadOnlyCollection<string>.Empty);
    }
}
