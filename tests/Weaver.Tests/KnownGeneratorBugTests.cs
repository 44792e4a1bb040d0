using Weaver.Tests.Machines;
using Weaver.Tests.Support;

namespace Weaver.Tests;

/// <summary>
/// One test per bug in <c>KnownGeneratorBugs.md</c>. Each is skipped in a normal run; build with
/// <c>-p:WeaverKnownBugs=KGBnn</c> to compile its reproduction and see it fail.
/// </summary>
public sealed class KnownGeneratorBugTests
{
    [KnownGeneratorBugFact("KGB01", KnownBugs.KGB01)]
    public void KGB01_file_local_machine_is_generated_or_diagnosed_without_crashing_the_generator()
    {
#if KGB01
        Assert.Equal("Done", FileLocalMachineAccess.FinishAndReportState());
#endif
    }

    [KnownGeneratorBugFact("KGB02", KnownBugs.KGB02)]
    public void KGB02_state_named_Unknown_gets_a_Match_parameter_named_unknown()
    {
#if KGB02
        var machine = new UnknownStateMachine();

        Assert.Equal("unknown", machine.Match(unknown: () => "unknown", known: () => "known"));
        Assert.True(machine.TryLearn());
        Assert.Equal("known", machine.Match(unknown: () => "unknown", known: () => "known"));
#endif
    }

    [KnownGeneratorBugFact("KGB03", KnownBugs.KGB03)]
    public void KGB03_generic_machine_may_name_its_type_parameter_TResult()
    {
#if KGB03
        var job = new ResultJob<int>();

        Assert.True(job.TryComplete(42));
        Assert.Equal("42", job.Match(running: () => "running", completed: () => job.Result.ToString()));
#endif
    }

    [KnownGeneratorBugFact("KGB04", KnownBugs.KGB04)]
    public void KGB04_machine_with_a_required_member_compiles()
    {
#if KGB04
        var machine = RequiredMemberMachine.Restore(new RequiredMemberMachine { Recipient = "ops" }, RequiredMemberMachine.State.Sent);

        Assert.Equal(RequiredMemberMachine.State.Sent, machine.Current);
        Assert.Equal("ops", machine.Recipient);
#endif
    }

    [KnownGeneratorBugFact("KGB05", KnownBugs.KGB05)]
    public void KGB05_struct_machine_with_its_own_fields_compiles_without_warnings()
    {
#if KGB05
        var machine = default(FieldStructMachine);

        Assert.True(machine.TryTally(3));
        Assert.Equal(3, machine.Total);
        Assert.Equal(FieldStructMachine.State.Counted, machine.Current);
#endif
    }

    [KnownGeneratorBugFact("KGB06", KnownBugs.KGB06)]
    public void KGB06_machine_with_an_obsolete_parameterless_constructor_compiles_without_warnings()
    {
#if KGB06
        var machine = ObsoleteConstructorMachine.Restore(new ObsoleteConstructorMachine("ops"), ObsoleteConstructorMachine.State.Closed);

        Assert.Equal(ObsoleteConstructorMachine.State.Closed, machine.Current);
#endif
    }

    [KnownGeneratorBugFact("KGB07", KnownBugs.KGB07)]
    public void KGB07_generated_X_and_CanX_keep_CallerMemberName()
    {
        var machine = new AuditMachine();

        Assert.True(machine.TryTouch());
        Assert.Equal(nameof(KGB07_generated_X_and_CanX_keep_CallerMemberName), machine.LastCaller);

        machine.Touch();
        Assert.Equal(nameof(KGB07_generated_X_and_CanX_keep_CallerMemberName), machine.LastCaller); // fails: ""

        Assert.True(machine.CanTouch());
        Assert.Equal(nameof(KGB07_generated_X_and_CanX_keep_CallerMemberName), machine.LastGuardCaller); // fails: ""
    }
}
