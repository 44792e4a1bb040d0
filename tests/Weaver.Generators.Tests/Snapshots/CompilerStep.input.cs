using Weaver;

namespace Build.Pipeline
{
    public enum StepState
    {
        [Initial] @event,
        @class,
        Emitting,
        [Terminal] Done,
        [Terminal] Failed,
    }

    public static partial class Stages
    {
        internal partial class Holder<T>
            where T : class
        {
            [TaskMachine(typeof(StepState))]
            private partial class CompilerStep<TItem>
            {
                [Transition(StepState.@event, StepState.@class)]
                public partial bool TryClassify(params TItem[] items);

                [Transition(StepState.@class, StepState.Emitting, Guard = nameof(MayEmit))]
                [Transition(StepState.Emitting, StepState.Emitting, Guard = nameof(MayEmit))]
                public partial bool TryEmit(T target, string to = "out\\bin", double weight = 0.5);

                [Transition(StepState.Emitting, StepState.Done)]
                private partial bool TryFinish();

                [Transition(StepState.@event, StepState.Failed)]
                [Transition(StepState.@class, StepState.Failed)]
                [Transition(StepState.Emitting, StepState.Failed)]
                protected internal partial bool TryFail(System.Exception? error);

                private bool MayEmit(T target, string to, double weight) => weight > 0;
            }
        }
    }
}
