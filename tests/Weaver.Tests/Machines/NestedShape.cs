namespace Weaver.Tests.Machines;

/// <summary>A machine nested two levels deep, inside a partial class and a partial struct.</summary>
public partial class NestingOuter
{
    internal partial struct Middle
    {
        [TaskMachine]
        public partial record NestedShape : ILifecycle
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
}
