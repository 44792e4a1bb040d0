namespace Weaver.Tests.Machines
{
    namespace BlockScoped
    {
        /// <summary>A machine declared in nested block-scoped namespaces.</summary>
        [TaskMachine]
        public partial class BlockNamespaceShape : ILifecycle
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
