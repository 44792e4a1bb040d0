using System.Collections.Concurrent;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Queue;

/// <summary>
/// CsCheck's <c>SampleParallel</c>: random Enqueue, TryDequeue and ReadyCount calls run in parallel on one shared queue
/// after a random sequential prefix. The run must match some sequential order of the same calls on a
/// <see cref="Queue{T}"/>: every call returning what it returned in that order, and the same items left, in the same order.
/// </summary>
[Collection(nameof(TaskQueueConcurrency))]
public sealed class TaskQueueLinearizabilityTests
{
    [Fact]
    public void Enqueue_TryDequeue_and_ReadyCount_are_linearizable()
    {
        var initial = Gen.Int[0, 99].Array[0, 4].Select(items => (new SharedQueue(items), new ModelQueue(items)));

        // Each call carries a tag so its result is compared with the same call's result in the model.
        var tag = Gen.Int[0, 1_000_000];
        initial.SampleParallel(
            [
                Gen.Int[0, 99].Operation<SharedQueue, ModelQueue>(
                    item => $"Enqueue({item})",
                    (actual, item) => actual.Queue.Enqueue(item),
                    (model, item) => model.Queue.Enqueue(item)),
                tag.Operation<SharedQueue, ModelQueue>(
                    t => $"TryDequeue#{t}",
                    (actual, t) => actual.Record($"TryDequeue#{t}", actual.Queue.TryDequeue(out var item) ? $"{item}" : "none"),
                    (model, t) => model.Record($"TryDequeue#{t}", model.Queue.TryDequeue(out var item) ? $"{item}" : "none")),
                tag.Operation<SharedQueue, ModelQueue>(
                    t => $"ReadyCount#{t}",
                    (actual, t) => actual.Record($"ReadyCount#{t}", $"{actual.Queue.ReadyCount}"),
                    (model, t) => model.Record($"ReadyCount#{t}", $"{model.Queue.Count}")),
            ],
            equal: (actual, model) =>
                actual.Remaining.SequenceEqual(model.Queue)
                && actual.Results.Order(StringComparer.Ordinal).SequenceEqual(model.Results.Order(StringComparer.Ordinal)),
            iter: 1_000,
            printActual: actual => actual.ToString(),
            printModel: model => model.ToString());
    }

    /// <summary>The queue the threads share, and what each call returned (in any order).</summary>
    private sealed class SharedQueue
    {
        private readonly ConcurrentQueue<string> _results = new();
        private readonly Lock _drain = new();
        private int[]? _remaining;

        public SharedQueue(int[] items)
        {
            foreach (var item in items)
            {
                Queue.Enqueue(item);
            }
        }

        public TaskQueue<int> Queue { get; } = new(new FakeTimeProvider());

        public IEnumerable<string> Results => _results;

        /// <summary>What is left once the parallel calls are done: drained once, as CsCheck may compare several times.</summary>
        public int[] Remaining
        {
            get
            {
                lock (_drain)
                {
                    if (_remaining is null)
                    {
                        var left = new List<int>();
                        while (Queue.TryDequeue(out var item))
                        {
                            left.Add(item);
                        }

                        _remaining = [.. left];
                    }

                    return _remaining;
                }
            }
        }

        public void Record(string call, string result) => _results.Enqueue($"{call}={result}");

        public override string ToString() => $"left [{string.Join(", ", Remaining)}]; {string.Join(", ", _results)}";
    }

    /// <summary>The sequential model: a plain queue.</summary>
    private sealed class ModelQueue(int[] items)
    {
        private readonly List<string> _results = [];

        public Queue<int> Queue { get; } = new(items);

        public IEnumerable<string> Results => _results;

        public void Record(string call, string result) => _results.Add($"{call}={result}");

        public override string ToString() => $"left [{string.Join(", ", Queue)}]; {string.Join(", ", _results)}";
    }
}
