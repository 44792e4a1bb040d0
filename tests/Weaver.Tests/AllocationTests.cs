using Weaver.Tests.Machines;
using Weaver.Tests.Support;

namespace Weaver.Tests;

/// <summary>
/// The generated triggers, <c>CanX</c> and <c>Current</c> allocate nothing: measured with
/// <see cref="AllocationMeter"/> around many calls, after a warm-up so the JIT is done.
/// </summary>
public sealed class AllocationTests
{
    private const int Calls = 10_000;

    /// <summary>Each scenario is one call on a <see cref="LeanMachine"/> that is left ready for the next one.</summary>
    public static TheoryData<string> Scenarios() => new(
        "successful single-source TryX",
        "successful multi-source TryX",
        "TryX refused by the state",
        "multi-source TryX refused by the state",
        "TryX refused by its guard",
        "multi-source TryX refused by its guard",
        "CanX",
        "Current");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Allocates_nothing(string scenario)
    {
        var (machine, call, expected) = SetUp(scenario);

        for (var i = 0; i < Calls; i++)
        {
            Assert.Equal(expected, call(machine)); // warm-up: tier-0 and tier-1 JIT, and checks the scenario works
        }

        var hooksBefore = machine.HookCalls;
        var matching = 0;
        var allocated = AllocationMeter.Measure(() =>
        {
            for (var i = 0; i < Calls; i++)
            {
                if (call(machine) == expected)
                {
                    matching++;
                }
            }
        });

        Assert.True(allocated.Least == 0, $"Every pass allocated: {allocated}.");
        Assert.Equal(Calls * allocated.Passes.Count, matching);
        var successfulCalls = scenario.StartsWith("successful", StringComparison.Ordinal) ? matching : 0;
        Assert.Equal(successfulCalls, machine.HookCalls - hooksBefore);
    }

    /// <summary>The machine, in the state the scenario needs, the call to measure, and what the call returns.</summary>
    private static (LeanMachine Machine, Func<LeanMachine, bool> Call, bool Expected) SetUp(string scenario) => scenario switch
    {
        // Pause and Resume alternate, so every call succeeds; each is a single-source trigger.
        "successful single-source TryX" => (Working(), static m => m.Current == LeanMachine.State.Working ? m.TryPause() : m.TryResume(), true),
        "successful multi-source TryX" => (Working(), static m => m.TryToggle(7), true),
        "TryX refused by the state" => (Working(), static m => m.TryStart(), false),
        "multi-source TryX refused by the state" => (new LeanMachine(), static m => m.TryToggle(7), false),
        "TryX refused by its guard" => (Working(), static m => m.TryFinish(10), false),
        "multi-source TryX refused by its guard" => (Working(), static m => m.TryFail(10), false),
        "CanX" => (Working(), static m => m.CanFinish(99) && m.CanToggle(1) && !m.CanStart(), true),
        "Current" => (Working(), static m => m.Current == LeanMachine.State.Working && !m.IsTerminal, true),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };

    private static LeanMachine Working() => LeanMachine.Restore(LeanMachine.State.Working);
}
