using System.Security.Cryptography;

namespace Weaver;

/// <summary>
/// The ids of tasks submitted to an engine without one: 32 lowercase hex digits, the shape of a <see cref="Guid"/>'s
/// "N" form, made of a random 64-bit prefix drawn once per engine and a counter. Unique within the engine by
/// construction, and across engines and processes as two random 64-bit prefixes are.
/// </summary>
/// <remarks>
/// <see cref="Guid.NewGuid"/> asks the operating system's random source every time: about 1.5 µs on a virtual machine,
/// which was the largest single cost of submitting a task (ADR 0026). A counter costs an increment.
/// </remarks>
internal sealed class TaskIdSource
{
    private readonly ulong _prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private long _next;

    /// <summary>The next id.</summary>
    /// <returns>An id no earlier call returned.</returns>
    public string Next()
    {
        var sequence = (ulong)Interlocked.Increment(ref _next);
        return string.Create(32, (Prefix: _prefix, Sequence: sequence), static (chars, parts) =>
        {
            parts.Prefix.TryFormat(chars[..16], out _, "x16", provider: null);
            parts.Sequence.TryFormat(chars[16..], out _, "x16", provider: null);
        });
    }
}
