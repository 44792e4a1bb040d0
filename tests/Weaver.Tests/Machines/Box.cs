namespace Weaver.Tests.Machines;

/// <summary>A generic machine whose payloads and (static) guard use its type parameter.</summary>
[TaskMachine(typeof(BoxStates))]
public partial class Box<T>
{
    public T? Item { get; private set; }

    public T? Label { get; private set; }

    [Transition(BoxStates.Empty, BoxStates.Full, Guard = nameof(Accepts))]
    public partial bool TryFill(T item);

    [Transition(BoxStates.Full, BoxStates.Empty)]
    public partial bool TryEmpty();

    [Transition(BoxStates.Empty, BoxStates.Sealed)]
    [Transition(BoxStates.Full, BoxStates.Sealed)]
    public partial bool TrySeal(T label);

    private static bool Accepts(T item) => item is not null;

    partial void OnFill(BoxStates from, BoxStates to, T item) => Item = item;

    partial void OnEmpty(BoxStates from, BoxStates to) => Item = default;

    partial void OnSeal(BoxStates from, BoxStates to, T label) => Label = label;
}
