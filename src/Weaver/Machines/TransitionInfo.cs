namespace Weaver;

/// <summary>One declared transition of a task machine.</summary>
/// <param name="Trigger">The trigger's name: the <c>Try…</c> method's name without <c>Try</c>.</param>
/// <param name="From">The name of the state the transition leaves.</param>
/// <param name="To">The name of the state the transition enters.</param>
/// <param name="Guard">The name of the guard method, or <see langword="null"/> when the transition has none.</param>
public sealed record TransitionInfo(string Trigger, string From, string To, string? Guard = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Guard is null ? $"{From} --{Trigger}--> {To}" : $"{From} --{Trigger} [{Guard}]--> {To}";
}
