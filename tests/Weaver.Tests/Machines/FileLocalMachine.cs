#if KGB01
namespace Weaver.Tests.Machines;

/// <summary>KGB01: a <c>file</c>-local machine makes the generator throw, so no machine at all is generated.</summary>
[TaskMachine]
file partial class FileLocalMachine
{
    public enum State
    {
        [Initial] Idle,
        [Terminal] Done,
    }

    [Transition(State.Idle, State.Done)]
    public partial bool TryFinish();
}

/// <summary>Lets code outside this file drive the file-local machine.</summary>
public static class FileLocalMachineAccess
{
    public static string FinishAndReportState()
    {
        var machine = new FileLocalMachine();
        machine.TryFinish();
        return machine.Current.ToString();
    }
}
#endif
