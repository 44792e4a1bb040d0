namespace Weaver.Tests.Machines;

/// <summary>Regression: a generic machine whose type parameter is named <c>TResult</c>, like <c>Match</c>'s.</summary>
[TaskMachine(typeof(ResultJobStates))]
public partial class ResultJob<TResult>
{
    public TResult? Result { get; private set; }

    [Transition(ResultJobStates.Running, ResultJobStates.Completed)]
    public partial bool TryComplete(TResult result);

    partial void OnComplete(ResultJobStates from, ResultJobStates to, TResult result) => Result = result;
}

public enum ResultJobStates
{
    [Initial] Running,
    [Terminal] Completed,
}
