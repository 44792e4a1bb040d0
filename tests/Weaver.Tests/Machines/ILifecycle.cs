namespace Weaver.Tests.Machines;

/// <summary>
/// The triggers of every "shape" machine (<c>Idle → Busy → Done</c>, and <c>Abort</c> from either), which all
/// declare the same states so that one generic driver can run each declaration shape.
/// </summary>
public interface ILifecycle
{
    bool TryBegin();

    bool TryEnd();

    bool TryAbort();

    bool CanBegin();
}
