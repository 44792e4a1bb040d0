using Weaver.Tests.Support;

namespace Weaver.Tests.Machines;

/// <summary>Hosts a machine declared <c>private</c>; only the host can name it, so the host runs the driver.</summary>
public partial class PrivateShapeHost
{
    /// <summary>Runs <see cref="LifecycleDriver"/> over the private machine.</summary>
    public static void DriveHiddenMachine() => LifecycleDriver.Drive<PrivateNestedShape, PrivateNestedShape.State>();

    /// <summary>The private machine, seen through its public interface.</summary>
    public static ILifecycle CreateHiddenMachine() => new PrivateNestedShape();

    /// <summary>The name of the private machine's current state.</summary>
    public static string StateOf(ILifecycle machine) => ((PrivateNestedShape)machine).Current.ToString();

    [TaskMachine]
    private partial class PrivateNestedShape : ILifecycle
    {
        public enum State
        {
            [Initial] Idle,
            Busy,
            [Terminal] Done,
        }

        [Transition(State.Idle, State.Busy)]
        public partial bool TryBegin();

        [Transition(State.Busy, State.Done)]
        public partial bool TryEnd();

        [Transition(State.Idle, State.Done)]
        [Transition(State.Busy, State.Done)]
        public partial bool TryAbort();
    }
}
