using Weaver.Tests.Machines.States;

namespace Weaver.Tests.Machines;

/// <summary>A machine whose states are an enum named by <c>[TaskMachine(typeof(...))]</c>.</summary>
[TaskMachine(typeof(DocumentStates))]
public partial class DocumentMachine
{
    [Transition(DocumentStates.Draft, DocumentStates.Published)]
    public partial bool TryPublish();

    [Transition(DocumentStates.Published, DocumentStates.Draft)]
    public partial bool TryUnpublish();

    [Transition(DocumentStates.Draft, DocumentStates.Archived)]
    [Transition(DocumentStates.Published, DocumentStates.Archived)]
    public partial bool TryArchive();
}
