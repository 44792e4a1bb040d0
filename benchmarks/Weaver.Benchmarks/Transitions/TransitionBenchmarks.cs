using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Stateless;
using State = Weaver.Benchmarks.Transitions.WorkMachine.State;

namespace Weaver.Benchmarks.Transitions;

/// <summary>
/// Issue 9, point 1: a generated <c>Try*</c> trigger against Stateless's <c>Fire</c> on the same machine shape (the
/// baseline of each category) and a hand-written <see cref="Interlocked.CompareExchange(ref int, int, int)"/> (the floor),
/// for successful transitions, refused ones, and <c>Match</c>. One class, so every ratio comes from one run.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TransitionBenchmarks
{
    private const string Successful = "Successful";
    private const string Refused = "Refused";
    private const string MatchState = "Match";

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

    /// <summary>Stateless: <c>Fire(Pause)</c> then <c>Fire(Resume)</c> (two transitions).</summary>
    /// <returns>The state after both.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = 2)]
    [BenchmarkCategory(Successful)]
    public State Successful_Stateless_Fire()
    {
        _stateless.Fire(WorkTrigger.Pause);
        _stateless.Fire(WorkTrigger.Resume);
        return _stateless.State;
    }

    /// <summary>Weaver: the generated <c>TryPause()</c> then <c>TryResume()</c> (two transitions).</summary>
    /// <returns>Whether both moved the machine.</returns>
    [Benchmark(OperationsPerInvoke = 2)]
    [BenchmarkCategory(Successful)]
    public bool Successful_Weaver_Try() => _weaver.TryPause() & _weaver.TryResume();

    /// <summary>The floor: two hand-written compare-and-exchanges.</summary>
    /// <returns>Whether both moved the machine.</returns>
    [Benchmark(OperationsPerInvoke = 2)]
    [BenchmarkCategory(Successful)]
    public bool Successful_Floor_Cas() => _floor.TryPause() & _floor.TryResume();

    /// <summary>Stateless: <c>Fire(Start)</c> in Working, ignored by an <c>OnUnhandledTrigger</c> handler (the non-throwing refusal).</summary>
    /// <returns>The state, unchanged.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Refused)]
    public State Refused_Stateless_Fire()
    {
        _statelessIgnoring.Fire(WorkTrigger.Start);
        return _statelessIgnoring.State;
    }

    /// <summary>Weaver: the generated <c>TryStart()</c> in Working, which returns false.</summary>
    /// <returns>False.</returns>
    [Benchmark]
    [BenchmarkCategory(Refused)]
    public bool Refused_Weaver_Try() => _weaver.TryStart();

    /// <summary>The floor: a hand-written compare-and-exchange that fails.</summary>
    /// <returns>False.</returns>
    [Benchmark]
    [BenchmarkCategory(Refused)]
    public bool Refused_Floor_Cas() => _floor.TryStart();

    /// <summary>Stateless has no <c>Match</c>: its way is a <c>switch</c> over <c>State</c>.</summary>
    /// <returns>The number of the current state's arm.</returns>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(MatchState)]
    public int Match_Stateless_Switch() => _stateless.State switch
    {
        State.Idle => 0,
        State.Working => 1,
        State.Paused => 2,
        State.Done => 3,
        State.Failed => 4,
        _ => -1,
    };

    /// <summary>Weaver: the generated <c>Match</c>, one function per state (cached delegates).</summary>
    /// <returns>The number of the current state's arm.</returns>
    [Benchmark]
    [BenchmarkCategory(MatchState)]
    public int Match_Weaver() => _weaver.Match(IdleArm, WorkingArm, PausedArm, DoneArm, FailedArm);

    /// <summary>The floor: a <c>switch</c> over a volatile read of the hand-written machine's state.</summary>
    /// <returns>The number of the current state's arm.</returns>
    [Benchmark]
    [BenchmarkCategory(MatchState)]
    public int Match_Floor_Switch() => _floor.Current switch
    {
        State.Idle => 0,
        State.Working => 1,
        State.Paused => 2,
        State.Done => 3,
        State.Failed => 4,
        _ => -1,
    };
}
