using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Stateless;
using State = Weaver.Benchmarks.Transitions.WorkMachine.State;

namespace Weaver.Benchmarks.Transitions;

/// <summary>
/// Issue 9, point 1: a generated <c>Try*</c> trigger against Stateless's <c>Fire</c> on the same machine shape (the
/// baseline of each category) and a hand-written <see cref="Interlocked.CompareExchange(ref int, int, int)"/> (the floor),
/// for successful transitions, refused ones, and <c>Match</c>. One class, so every ratio comes from one run. Times are
/// per transition (or per refusal, or per <c>Match</c>).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TransitionBenchmarks
{
    private const string Successful = "Successful";
    private const string Refused = "Refused";
    private const string MatchState = "Match";

    /// <summary>Operations per invocation (a loop, so that even a sub-nanosecond operation measures well above the harness's own cost).</summary>
    private const int Transitions = 1000;

    /// <summary>Pause-and-resume pairs per invocation: <see cref="Transitions"/> transitions.</summary>
    private const int Pairs = Transitions / 2;

    private static readonly Func<int> IdleArm = static () => 0;
    private static readonly Func<int> WorkingArm = static () => 1;
    private static readonly Func<int> PausedArm = static () => 2;
    private static readonly Func<int> DoneArm = static () => 3;
    private static readonly Func<int> FailedArm = static () => 4;

    private WorkMachine _weaver = null!;
    private StateMachine<State, WorkTrigger> _stateless = null!;
    private StateMachine<State, WorkTrigger> _statelessIgnoring = null!;
    private HandWrittenWork _floor = null!;

    /// <summary>Every machine starts Working: Pause and Resume then alternate forever, and Start is always refused.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _weaver = WorkMachine.Restore(State.Working);
        _stateless = StatelessWork.Create(State.Working);
        _statelessIgnoring = StatelessWork.Create(State.Working, ignoreUnhandled: true);
        _floor = new HandWrittenWork(State.Working);
    }

    /// <summary>Stateless: <c>Fire(Pause)</c> then <c>Fire(Resume)</c>, <see cref="Pairs"/> times.</summary>
    /// <returns>The state after the last.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(Successful)]
    public State Successful_Stateless_Fire()
    {
        for (var i = 0; i < Pairs; i++)
        {
            _stateless.Fire(WorkTrigger.Pause);
            _stateless.Fire(WorkTrigger.Resume);
        }

        return _stateless.State;
    }

    /// <summary>Weaver: the generated <c>TryPause()</c> then <c>TryResume()</c>, <see cref="Pairs"/> times.</summary>
    /// <returns>How many transitions happened.</returns>
    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(Successful)]
    public int Successful_Weaver_Try()
    {
        var moved = 0;
        for (var i = 0; i < Pairs; i++)
        {
            moved += (_weaver.TryPause() ? 1 : 0) + (_weaver.TryResume() ? 1 : 0);
        }

        return moved;
    }

    /// <summary>The floor: the same with hand-written compare-and-exchanges.</summary>
    /// <returns>How many transitions happened.</returns>
    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(Successful)]
    public int Successful_Floor_Cas()
    {
        var moved = 0;
        for (var i = 0; i < Pairs; i++)
        {
            moved += (_floor.TryPause() ? 1 : 0) + (_floor.TryResume() ? 1 : 0);
        }

        return moved;
    }

    /// <summary>
    /// Stateless: <c>Fire(Start)</c> in Working, <see cref="Transitions"/> times, each ignored by an
    /// <c>OnUnhandledTrigger</c> handler (Stateless's non-throwing refusal).
    /// </summary>
    /// <returns>The state, unchanged.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(Refused)]
    public State Refused_Stateless_Fire()
    {
        for (var i = 0; i < Transitions; i++)
        {
            _statelessIgnoring.Fire(WorkTrigger.Start);
        }

        return _statelessIgnoring.State;
    }

    /// <summary>Weaver: the generated <c>TryStart()</c> in Working, which returns false, <see cref="Transitions"/> times.</summary>
    /// <returns>How many moved the machine: none.</returns>
    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(Refused)]
    public int Refused_Weaver_Try()
    {
        var moved = 0;
        for (var i = 0; i < Transitions; i++)
        {
            moved += _weaver.TryStart() ? 1 : 0;
        }

        return moved;
    }

    /// <summary>The floor: a hand-written compare-and-exchange that fails, <see cref="Transitions"/> times.</summary>
    /// <returns>How many moved the machine: none.</returns>
    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(Refused)]
    public int Refused_Floor_Cas()
    {
        var moved = 0;
        for (var i = 0; i < Transitions; i++)
        {
            moved += _floor.TryStart() ? 1 : 0;
        }

        return moved;
    }

    /// <summary>Stateless has no <c>Match</c>: its way is a <c>switch</c> over <c>State</c>, here <see cref="Transitions"/> times.</summary>
    /// <returns>The sum of the arms' numbers.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(MatchState)]
    public int Match_Stateless_Switch()
    {
        var sum = 0;
        for (var i = 0; i < Transitions; i++)
        {
            sum += _stateless.State switch
            {
                State.Idle => 0,
                State.Working => 1,
                State.Paused => 2,
                State.Done => 3,
                State.Failed => 4,
                _ => -1,
            };
        }

        return sum;
    }

    /// <summary>Weaver: the generated <c>Match</c>, one function per state (cached delegates), <see cref="Transitions"/> times.</summary>
    /// <returns>The sum of the arms' numbers.</returns>
    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(MatchState)]
    public int Match_Weaver()
    {
        var sum = 0;
        for (var i = 0; i < Transitions; i++)
        {
            sum += _weaver.Match(IdleArm, WorkingArm, PausedArm, DoneArm, FailedArm);
        }

        return sum;
    }

    /// <summary>The floor: a <c>switch</c> over a volatile read of the hand-written machine's state, <see cref="Transitions"/> times.</summary>
    /// <returns>The sum of the arms' numbers.</returns>
    [Benchmark(OperationsPerInvoke = Transitions)]
    [BenchmarkCategory(MatchState)]
    public int Match_Floor_Switch()
    {
        var sum = 0;
        for (var i = 0; i < Transitions; i++)
        {
            sum += _floor.Current switch
            {
                State.Idle => 0,
                State.Working => 1,
                State.Paused => 2,
                State.Done => 3,
                State.Failed => 4,
                _ => -1,
            };
        }

        return sum;
    }
}
