namespace Weaver;

/// <summary>
/// Thrown by a machine's throwing trigger method (<c>Start()</c> for <c>TryStart()</c>) when the transition did
/// not happen: the current state does not permit the trigger, or the trigger's guard refused it.
/// </summary>
public sealed class InvalidTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception; its message names the machine, state, trigger and permitted triggers.</summary>
    /// <param name="machine">The machine type's name.</param>
    /// <param name="state">The state the machine was in when the trigger was refused.</param>
    /// <param name="trigger">The refused trigger's name.</param>
    /// <param name="permittedTriggers">The triggers that <paramref name="state"/> permits.</param>
    public InvalidTransitionException(string machine, string state, string trigger, IReadOnlyList<string> permittedTriggers)
        : base(FormatMessage(machine, state, trigger, permittedTriggers))
    {
        Machine = machine;
        State = state;
        Trigger = trigger;
        PermittedTriggers = permittedTriggers;
    }

    /// <summary>The machine type's name.</summary>
    public string Machine { get; }

    /// <summary>The state the machine was in when the trigger was refused.</summary>
    public string State { get; }

    /// <summary>The refused trigger's name.</summary>
    public string Trigger { get; }

    /// <summary>The triggers the state permits (their guards aside).</summary>
    public IReadOnlyList<string> PermittedTriggers { get; }

    /// <summary>
    /// Whether the state permits the trigger, so that its guard is what refused it.
    /// </summary>
    public bool GuardRefused => PermittedTriggers.Contains(Trigger);

    private static string FormatMessage(string machine, string state, string trigger, IReadOnlyList<string> permitted)
    {
        if (permitted.Contains(trigger))
        {
            return $"{machine} cannot fire '{trigger}' in state '{state}': the state permits it, but its guard refused it.";
        }

        return permitted.Count == 0
            ? $"{machine} cannot fire '{trigger}' in state '{state}': no trigger is permitted in '{state}'."
            : $"{machine} cannot fire '{trigger}' in state '{state}'; the triggers permitted in '{state}' are: {string.Join(", ", permitted)}.";
    }
}
