namespace Weaver;

/// <summary>
/// Waits for a <see cref="ValueTask"/> that a synchronous API must (a handler's <c>Heartbeat()</c>, its artifacts, its
/// decisions): the in-memory engine answers at once and costs nothing; a database store blocks the caller for its
/// round trip, as the synchronous API says.
/// </summary>
internal static class SynchronousWait
{
    /// <summary>The result of <paramref name="call"/>, once it completes; its exception, if it fails.</summary>
    public static T Result<T>(ValueTask<T> call) => call.IsCompletedSuccessfully ? call.Result : call.AsTask().GetAwaiter().GetResult();

    /// <summary>Returns once <paramref name="call"/> completes; throws its exception, if it fails.</summary>
    public static void Complete(ValueTask call)
    {
        if (call.IsCompletedSuccessfully)
        {
            call.GetAwaiter().GetResult(); // consumes it, as a ValueTask must be
            return;
        }

        call.AsTask().GetAwaiter().GetResult();
    }
}
