using Stateless;

namespace Weaver.Benchmarks.Transitions;

/// <summary>The triggers of <see cref="StatelessWork"/>.</summary>
public enum WorkTrigger
{
    /// <summary>Idle to Working.</summary>
    Start,

    /// <summary>Working to Paused.</summary>
    Pause,

    /// <summary>Paused to Working.</summary>
    Resume,

    /// <summary>Working to Done, guarded.</summary>
    Finish,

    /// <summary>Working or Paused to Failed.</summary>
    Fail,
}

/// <summary><see cref="WorkMachine"/>'s shape as a Stateless <see cref="StateMachine{TState, TTrigger}"/>, configured the way its documentation shows.</summary>
public static class StatelessWork
{
    /// <summary>A Stateless machine of the same shape, in <paramref name="initial"/>.</summary>
    /// <param name="initial">Its first state.</param>
    /// <param name="ignoreUnhandled">
    /// Whether a trigger the state does not permit is ignored (an <c>OnUnhandledTrigger</c> handler that does nothing)
    /// rather than thrown, like a refused <c>Try*</c>.
    /// </param>
    /// <returns>The machine.</returns>
    public static StateMachine<WorkMachine.State, WorkTrigger> Create(WorkMachine.State initial, bool ignoreUnhandled = false)
    {
        var threshold = 50;
        var machine = new StateMachine<WorkMachine.State, WorkTrigger>(initial);
        var finish = machine.SetTriggerParameters<int>(WorkTrigger.Finish);
        machine.Configure(WorkMachine.State.Idle)
            .Permit(WorkTrigger.Start, WorkMachine.State.Working);
        machine.Configure(WorkMachine.State.Working)
            .Permit(WorkTrigger.Pause, WorkMachine.State.Paused)
            .PermitIf(finish, WorkMachine.State.Done, score => score >= threshold)
            .Permit(WorkTrigger.Fail, WorkMachine.State.Failed);
        machine.Configure(WorkMachine.State.Paused)
            .Permit(WorkTrigger.Resume, WorkMachine.State.Working)
            .Permit(WorkTrigger.Fail, WorkMachine.State.Failed);
        if (ignoreUnhandled)
        {
            machine.OnUnhandledTrigger(static (_, _) => { });
        }

        return machine;
    }
}
