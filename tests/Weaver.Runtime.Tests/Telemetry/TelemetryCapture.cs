using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Weaver.Runtime.Tests.Telemetry;

/// <summary>
/// Listens to Weaver's <see cref="ActivitySource"/> and <see cref="Meter"/> in process, as an exporter would, and keeps
/// every ended span and every measurement. Other tests run at the same time: read only what your own task ids or kinds
/// name, or run in <see cref="SerialTelemetry"/>.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly ConcurrentDictionary<(string TaskId, int Attempt), TaskCompletionSource<Activity>> _awaited = new();

    public TelemetryCapture()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WeaverTelemetry.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Ended,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WeaverTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>The ended attempt spans of one task, in the order they ended.</summary>
    public IReadOnlyList<Activity> SpansOf(string taskId) =>
        [.. _ended.Where(span => span.OperationName == WeaverTelemetry.AttemptActivityName && Equals(span.GetTagItem(WeaverTelemetry.Tags.TaskId), taskId))];

    /// <summary>Completes when the span of the attempt ends.</summary>
    public Task<Activity> SpanEndedAsync(string taskId, int attempt) => Awaited(taskId, attempt).Task;

    /// <summary>The measurements of an instrument tagged with <paramref name="kind"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, string kind) =>
        [.. _measurements.Where(m => m.Instrument == instrument && Equals(m.Tag(WeaverTelemetry.Tags.TaskKind), kind))];

    /// <summary>Every measurement of an instrument, whatever its tags.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>The sum of an instrument's measurements tagged with <paramref name="kind"/>.</summary>
    public double Total(string instrument, string kind) => Of(instrument, kind).Sum(m => m.Value);

    /// <summary>Asks every observable instrument for its value now.</summary>
    public void Observe() => _meters.RecordObservableInstruments();

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }

    private void Ended(Activity span)
    {
        _ended.Enqueue(span);
        if (span.GetTagItem(WeaverTelemetry.Tags.TaskId) is string taskId && span.GetTagItem(WeaverTelemetry.Tags.AttemptNumber) is int attempt)
        {
            Awaited(taskId, attempt).TrySetResult(span);
        }
    }

    private TaskCompletionSource<Activity> Awaited(string taskId, int attempt) =>
        _awaited.GetOrAdd((taskId, attempt), static _ => new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray()));

    /// <summary>One measurement, with its tags.</summary>
    internal sealed record Measurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string key) => Tags.FirstOrDefault(tag => tag.Key == key).Value;
    }
}

/// <summary>Tests that read instruments without a kind tag (lock conflicts, heartbeats, queue depth) run alone.</summary>
[CollectionDefinition(nameof(SerialTelemetry), DisableParallelization = true)]
public sealed class SerialTelemetry;
