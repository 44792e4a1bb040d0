using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Weaver;

/// <summary>
/// The W3C trace context a task is submitted in: the one of <see cref="Activity.Current"/>, kept with the task (in a
/// store's row too) so that its attempts' spans are children of the submitter's span, in any process.
/// </summary>
internal static class SubmitterTrace
{
    /// <summary>The current span's <c>traceparent</c> and <c>tracestate</c>; false outside a span or in a non-W3C one.</summary>
    public static bool TryCurrent([NotNullWhen(true)] out string? traceParent, out string? traceState)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } current)
        {
            traceParent = id;
            traceState = current.TraceStateString;
            return true;
        }

        traceParent = null;
        traceState = null;
        return false;
    }

    /// <summary>Whether <paramref name="traceParent"/> is a W3C <c>traceparent</c> (with its <c>tracestate</c>, if any).</summary>
    public static bool IsValid(string traceParent, string? traceState) =>
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out _);
}
