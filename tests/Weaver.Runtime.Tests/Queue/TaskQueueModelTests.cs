using System.Text;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Queue;

/// <summary>
/// CsCheck's <c>SampleModelBased</c>: random sequences of Enqueue, Schedule (due in the past, now, or the future, often
/// at equal instants, to the tick), Advance, TryDequeue, DequeueAsync, cancelling a waiting DequeueAsync, and reading the
/// counts, on a <see cref="TaskQueue{T}"/> with a <see cref="FakeTimeProvider"/>, compared with a model made of a
/// <see cref="Queue{T}"/> of ready items and a sorted list of scheduled ones.
/// </summary>
/// <remarks>
/// The model makes items ready only when an operation runs; the queue also does so from its timer. Every operation makes
/// due items ready first, so what any operation returns is the same either way.
/// </remarks>
public sealed class TaskQueueModelTests
{
    private static readonly Gen<long> SmallTicks = Gen.OneOf(Gen.Long[0, 4], Gen.Long[0, 4].Select(ms => ms * TimeSpan.TicksPerMillisecond));

    private static readonly Gen<long> DueOffsetTicks = Gen.OneOf(
        Gen.Long[-3, 12],
        Gen.Long[-3, 12].Select(ms => ms * TimeSpan.TicksPerMillisecond));

    [Fact]
    public void Random_operation_sequences_match_a_sorted_list_model()
    {
        var initial = Gen.Const(() => (new Actual(), new Model()));
        var item = Gen.Int[0, 999];

        initial.SampleModelBased(
            [
                item.Operation<Actual, Model>(i => $"Enqueue({i})", (a, i) => a.Enqueue(i), (m, i) => m.Enqueue(i)),
                Gen.Select(item, DueOffsetTicks).Operation<Actual, Model>(
                    t => $"Schedule({t.Item1}, now{t.Item2:+0;-0;+0} ticks)",
                    (a, t) => a.Schedule(t.Item1, t.Item2),
                    (m, t) => m.Schedule(t.Item1, t.Item2)),
                SmallTicks.Operation<Actual, Model>(d => $"Advance({d} ticks)", (a, d) => a.Advance(d), (m, d) => m.Advance(d)),
                Gen.Const(0).Operation<Actual, Model>(_ => "TryDequeue", (a, _) => a.TryDequeue(), (m, _) => m.TryDequeue()),
                Gen.Const(0).Operation<Actual, Model>(_ => "DequeueAsync", (a, _) => a.DequeueAsync(), (m, _) => m.DequeueAsync()),
                Gen.Const(0).Operation<Actual, Model>(_ => "CancelOldestWaiter", (a, _) => a.CancelOldestWaiter(), (m, _) => m.CancelOldestWaiter()),
                Gen.Const(0).Operation<Actual, Model>(_ => "Observe", (a, _) => a.Observe(), (m, _) => m.Observe()),
            ],
            equal: (actual, model) => actual.Outcome == model.Outcome,
            iter: 500,
            printActual: actual => actual.Outcome,
            printModel: model => model.Outcome);
    }

    /// <summary>The queue under test, and what its calls returned.</summary>
    private sealed class Actual
    {
        private readonly FakeTimeProvider _time = new();
        private readonly List<string> _log = [];
        private readonly List<(Task<int> Task, CancellationTokenSource Cancel)> _waiters = [];
        private string? _outcome;

        public Actual() => Queue = new TaskQueue<int>(_time);

        public TaskQueue<int> Queue { get; }

        /// <summary>The log, the waiters' results, the counts, then every item left in order (computed once: it drains).</summary>
        public string Outcome => _outcome ??= Finish();

        public void Enqueue(int item) => Queue.Enqueue(item);

        public void Schedule(int item, long offsetTicks) => Queue.Schedule(item, _time.GetUtcNow().AddTicks(offsetTicks));

        public void Advance(long ticks) => _time.Advance(TimeSpan.FromTicks(ticks));

        public void TryDequeue() => _log.Add(Queue.TryDequeue(out var item) ? $"TryDequeue={item}" : "TryDequeue=none");

        public void DequeueAsync()
        {
            var cancel = new CancellationTokenSource();
            var task = Queue.DequeueAsync(cancel.Token).AsTask();
            _log.Add(task.IsCompleted ? $"DequeueAsync={task.Result}" : "DequeueAsync=waiting");
            _waiters.Add((task, cancel));
        }

        public void CancelOldestWaiter()
        {
            Observe(); // hand out what has come due first, as the model does, so both agree on who still waits
            var oldest = _waiters.FindIndex(w => !w.Task.IsCompleted);
            _log.Add($"CancelOldestWaiter={oldest}");
            if (oldest >= 0)
            {
                _waiters[oldest].Cancel.Cancel();
            }
        }

        public void Observe() => _log.Add($"Observe=ready {Queue.ReadyCount}, scheduled {Queue.ScheduledCount}, next {Queue.NextDueAt?.Ticks}");

        private string Finish()
        {
            Observe();
            var outcome = new StringBuilder().AppendJoin("; ", _log).Append(" | waiters: ");
            outcome.AppendJoin(", ", _waiters.Select(w => w.Task.Status switch
            {
                TaskStatus.RanToCompletion => $"{w.Task.Result}",
                TaskStatus.Canceled => "cancelled",
                _ => "waiting",
            }));

            foreach (var (task, cancel) in _waiters)
            {
                cancel.Cancel();
            }

            _time.Advance(TimeSpan.FromDays(1));
            outcome.Append(" | left: ");
            while (Queue.TryDequeue(out var item))
            {
                outcome.Append(item).Append(' ');
            }

            return outcome.ToString();
        }
    }

    /// <summary>The model: ready items in a queue, scheduled items in a list sorted by due time then scheduling order.</summary>
    private sealed class Model
    {
        private readonly List<string> _log = [];
        private readonly Queue<int> _ready = new();
        private readonly List<(long DueTicks, int Item)> _scheduled = [];
        private readonly List<Waiter> _waiters = [];
        private long _now = new FakeTimeProvider().GetUtcNow().UtcTicks;
        private string? _outcome;

        public string Outcome => _outcome ??= Finish();

        public void Enqueue(int item)
        {
            Promote();
            _ready.Enqueue(item);
            HandOut();
        }

        public void Schedule(int item, long offsetTicks)
        {
            Promote();
            var due = _now + offsetTicks;
            if (due <= _now)
            {
                _ready.Enqueue(item);
                HandOut();
            }
            else
            {
                var at = _scheduled.FindIndex(s => s.DueTicks > due); // behind every item due at the same instant
                _scheduled.Insert(at < 0 ? _scheduled.Count : at, (due, item));
            }
        }

        public void Advance(long ticks) => _now += ticks;

        public void TryDequeue()
        {
            Promote();
            _log.Add(_ready.TryDequeue(out var item) ? $"TryDequeue={item}" : "TryDequeue=none");
        }

        public void DequeueAsync()
        {
            Promote();
            var waiter = new Waiter();
            if (_ready.TryDequeue(out var item))
            {
                waiter.State = $"{item}";
                _log.Add($"DequeueAsync={item}");
            }
            else
            {
                _log.Add("DequeueAsync=waiting");
            }

            _waiters.Add(waiter);
        }

        public void CancelOldestWaiter()
        {
            Observe();
            var oldest = _waiters.FindIndex(w => w.State == "waiting");
            _log.Add($"CancelOldestWaiter={oldest}");
            if (oldest >= 0)
            {
                _waiters[oldest].State = "cancelled";
            }
        }

        public void Observe()
        {
            Promote();
            var next = _scheduled.Count > 0 ? $"{_scheduled[0].DueTicks}" : "";
            _log.Add($"Observe=ready {_ready.Count}, scheduled {_scheduled.Count}, next {next}");
        }

        /// <summary>Makes ready every scheduled item due by now, earliest first, and hands ready items to waiters.</summary>
        private void Promote()
        {
            var due = _scheduled.FindIndex(s => s.DueTicks > _now);
            var count = due < 0 ? _scheduled.Count : due;
            foreach (var (_, item) in _scheduled.Take(count))
            {
                _ready.Enqueue(item);
            }

            _scheduled.RemoveRange(0, count);
            HandOut();
        }

        private void HandOut()
        {
            foreach (var waiter in _waiters.Where(w => w.State == "waiting"))
            {
                if (!_ready.TryDequeue(out var item))
                {
                    return;
                }

                waiter.State = $"{item}";
            }
        }

        private string Finish()
        {
            Observe();
            var outcome = new StringBuilder().AppendJoin("; ", _log).Append(" | waiters: ");
            outcome.AppendJoin(", ", _waiters.Select(w => w.State));

            _now += TimeSpan.TicksPerDay;
            foreach (var waiter in _waiters.Where(w => w.State == "waiting"))
            {
                waiter.State = "cancelled";
            }

            Promote();
            outcome.Append(" | left: ");
            while (_ready.TryDequeue(out var item))
            {
                outcome.Append(item).Append(' ');
            }

            return outcome.ToString();
        }

        private sealed class Waiter
        {
            public string State { get; set; } = "waiting";
        }
    }
}
