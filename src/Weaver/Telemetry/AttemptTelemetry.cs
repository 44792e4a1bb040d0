using System.Diagnostics;
using static Weaver.WeaverTelemetry;

namespace Weaver;

/// <summary>
/// One attempt's span and duration, as a <see cref="WorkerGroup"/> runs it. A value type that holds nothing while no
/// one listens: starting and ending it then costs two checks.
/// </summary>
internal readonly struct AttemptTelemetry
{
    private readonly Activity? _activity;
    private readonly TimeProvider? _time;
    private readonly long _started;
    private readonly string? _kind;

    private AttemptTelemetry(Activity? activity, TimeProvider time, long started, string kind)
    {
        _activity = activity;
        _time = time;
        _started = started;
        _kind = kind;
    }

    /// <summary>
    /// Starts the attempt's span, a child of the trace context its task was submitted with; without one the attempt
    /// starts a trace of its own (never a child of whatever span the worker's loop happened to inherit). The span is
    /// <see cref="Activity.Current"/> while the handler runs, so the handler's own spans nest under it.
    /// </summary>
    public static AttemptTelemetry Start(ClaimedAttempt attempt, TimeProvider time)
    {
        var traced = Traces.HasListeners();
        if (!traced && !WeaverMetrics.AttemptsTimed)
        {
            return default;
        }

        Activity? activity = null;
        if (traced)
        {
            if (!ActivityContext.TryParse(attempt.TraceParent, attempt.TraceState, isRemote: true, out var parent))
            {
                Activity.Current = null;
            }

            activity = Traces.StartActivity(
                AttemptActivityName,
                ActivityKind.Consumer,
                parent,
                [
                    new(Tags.TaskId, attempt.TaskId),
                    new(Tags.TaskKind, attempt.Kind),
                    new(Tags.AttemptNumber, attempt.Number),
                    new(Tags.LeaseEpoch, attempt.Lease.Epoch),
                    new(Tags.LeaseOwner, attempt.Lease.Owner),
                ],
                startTime: time.GetUtcNow());
            if (activity is not null)
            {
                activity.DisplayName = $"{AttemptActivityName} {attempt.Kind}";
            }
        }

        return new AttemptTelemetry(activity, time, time.GetTimestamp(), attempt.Kind);
    }

    /// <summary>Records how the attempt ended and ends its span: an error status for every outcome but success, cancellation and hand-back.</summary>
    /// <param name="outcome">One of <see cref="Outcomes"/>.</param>
    /// <param name="error">The handler's exception, or the store's that kept the commit from being written.</param>
    public void End(string outcome, Exception? error)
    {
        if (_time is null)
        {
            return;
        }

        var took = _time.GetElapsedTime(_started);
        WeaverMetrics.Attempt(_kind!, outcome, took);
        if (_activity is not { } activity)
        {
            return;
        }

        activity.SetTag(Tags.AttemptOutcome, outcome);
        switch (outcome)
        {
            case Outcomes.Succeeded:
                activity.SetStatus(ActivityStatusCode.Ok);
                break;
            case Outcomes.Cancelled or Outcomes.Abandoned:
                break;
            default:
                activity.SetStatus(ActivityStatusCode.Error, error?.Message ?? outcome);
                break;
        }

        if (error is not null)
        {
            activity.SetTag(Tags.ErrorType, error.GetType().FullName);
            activity.AddException(error);
        }

        activity.SetEndTime(_time.GetUtcNow().UtcDateTime);
        activity.Dispose();
    }
}
