using Weaver.Tests.Machines;

namespace Weaver.Tests;

/// <summary>
/// Declarations that once broke the generated code (a state named <c>Unknown</c>, a <c>TResult</c> type parameter,
/// <c>required</c> members, struct machines with fields, obsolete constructors, caller-info payloads). Each machine
/// here must compile without warnings and behave.
/// </summary>
public sealed class GeneratorRegressionTests
{
    [Fact]
    public void State_named_Unknown_gets_a_Match_parameter_named_unknown()
    {
        var machine = new UnknownStateMachine();

        Assert.Equal("unknown", machine.Match(unknown: () => "unknown", known: () => "known"));
        Assert.True(machine.TryLearn());
        Assert.Equal("known", machine.Match(unknown: () => "unknown", known: () => "known"));
    }

    [Fact]
    public void Generic_machine_may_name_its_type_parameter_TResult()
    {
        var job = new ResultJob<int>();

        Assert.True(job.TryComplete(42));
        Assert.Equal("42", job.Match(running: () => "running", completed: () => job.Result.ToString()));
    }

    [Fact]
    public void Machine_with_a_required_member_compiles()
    {
        var machine = RequiredMemberMachine.Restore(new RequiredMemberMachine { Recipient = "ops" }, RequiredMemberMachine.State.Sent);

        Assert.Equal(RequiredMemberMachine.State.Sent, machine.Current);
        Assert.Equal("ops", machine.Recipient);
    }

    [Fact]
    public void Struct_machine_with_its_own_fields_compiles_without_warnings()
    {
        var machine = default(FieldStructMachine);

        Assert.True(machine.TryTally(3));
        Assert.Equal(3, machine.Total);
        Assert.Equal(FieldStructMachine.State.Counted, machine.Current);
    }

    [Fact]
    public void Machine_with_an_obsolete_parameterless_constructor_compiles_without_warnings()
    {
        var machine = ObsoleteConstructorMachine.Restore(new ObsoleteConstructorMachine("ops"), ObsoleteConstructorMachine.State.Closed);

        Assert.Equal(ObsoleteConstructorMachine.State.Closed, machine.Current);
    }

    [Fact]
    public void Generated_X_and_CanX_keep_CallerMemberName()
    {
        var machine = new AuditMachine();

        Assert.True(machine.TryTouch());
        Assert.Equal(nameof(Generated_X_and_CanX_keep_CallerMemberName), machine.LastCaller);

        machine.Touch();
        Assert.Equal(nameof(Generated_X_and_CanX_keep_CallerMemberName), machine.LastCaller);

        Assert.True(machine.CanTouch());
        Assert.Equal(nameof(Generated_X_and_CanX_keep_CallerMemberName), machine.LastGuardCaller);
    }
}
