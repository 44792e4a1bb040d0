using static Weaver.Runtime.Tests.Jobs.JobFixture;

namespace Weaver.Runtime.Tests.Sagas;

/// <summary>Saga steps for tests: each step depends on the one before it.</summary>
internal static class SagaSpecs
{
    /// <summary>A step of kind <paramref name="kind"/> after <paramref name="after"/>, undone by a task of kind <paramref name="undo"/>.</summary>
    public static JobTaskSpec Step(string id, string kind, string? undo = "work", string? after = null) =>
        TaskOf(id, kind, after is null ? [] : [after]) with { Compensation = undo is null ? null : new CompensationSpec(undo) };

    /// <summary>The sequential saga <c>a -&gt; b -&gt; c</c>; <paramref name="cKind"/> and <paramref name="bUndo"/> decide how it ends.</summary>
    public static JobSpec ThreeSteps(string cKind = "work", string bUndo = "work", string id = "s") => new([
        Step("a", "work"),
        Step("b", "work", bUndo, after: "a"),
        Step("c", cKind, undo: null, after: "b"),
    ]) { Id = id };
}
