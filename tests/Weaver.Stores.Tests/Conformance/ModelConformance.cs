using CsCheck;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// Random sequences of creates, claims, renewals, commits, failures, hand-backs, decisions, cancels, sweeps and clock moves
/// (CsCheck), each run against a fresh store and a small model of the contract. After every step the store's answer and
/// every task must match the model, so: a write is accepted exactly when it holds the task's current, live lease (so at
/// most one lease per task is ever live), each claim's epoch is one more than the task's last, an ended task never
/// changes, and each ended task has exactly one ending event. Zombie writes come from every attempt ever claimed.
/// </summary>
/// <param name="provider">The provider under test.</param>
public abstract class ModelConformance(StoreProvider provider) : StoreTests(provider)
{
    private static readonly Gen<Step> Steps = Gen.Select(Gen.Int[0, 13], Gen.Int[0, 1_000], Gen.Int[0, 1_000], (kind, a, b) => new Step(kind, a, b));

    [StoreFact]
    public async Task Random_operations_match_the_model_of_the_contract()
    {
        await Steps.Array[1, 40].SampleAsync(RunAsync, iter: 30, threads: 1, print: steps => string.Join(", ", steps.Select(step => step.ToString())));
    }

    private async Task RunAsync(Step[] steps)
    {
        await using var s = await OpenAsync();
        var model = new Model(s.StaleAfter);
        var attempts = new List<StoredAttempt>();
        for (var index = 0; index < steps.Length; index++)
        {
            var step = steps[index];
            var what = $"step {index} ({step})";
            var now = s.Now;
            switch (step.Kind)
            {
                case 0 or 1:
                    {
                        var retry = (step.A % 3) switch { 0 => Policies.OneTry, 1 => Policies.TwoTries, _ => Policies.ThreeTries };
                        var id = $"t{model.Tasks.Count}";
                        await s.CreateAsync(id, step.B % 2 == 0 ? "echo" : "other", retry: retry);
                        model.Create(id, retry, step.B % 2 == 0 ? "echo" : "other");
                        break;
                    }

                case 2 or 3:
                    {
                        var owner = $"w{step.A % 3}";
                        var max = 1 + (step.B % 3);
                        string[] kinds = (step.B / 3 % 3) switch { 0 => ["echo"], 1 => ["other"], _ => ["echo", "other"] };
                        var claimed = await s.Store.ClaimAsync(owner, max, kinds);
                        var expected = model.Claim(owner, max, kinds, now);
                        Assert.True(
                            expected.Select(e => (e.Id, e.Number, e.Epoch, e.ExpiresAt)).SequenceEqual(claimed.Select(a => (a.TaskId, a.Number, a.Epoch, a.ExpiresAt))),
                            $"{what}: claimed [{string.Join(", ", claimed.Select(a => $"{a.TaskId}#{a.Epoch}"))}], the model says [{string.Join(", ", expected.Select(e => $"{e.Id}#{e.Epoch}"))}]");
                        Assert.All(claimed, a => Assert.Equal(owner, a.Owner));
                        attempts.AddRange(claimed);
                        break;
                    }

                case 4 or 5 or 6 or 7 or 8 or 9 when attempts.Count > 0:
                    {
                        var attempt = attempts[step.A % attempts.Count];
                        var accepted = model.Holds(attempt, now);
                        switch (step.Kind)
                        {
                            case 4:
                                Assert.True(accepted == await s.Store.CompleteAsync(attempt, "\"ok\"", 0m), $"{what}: commit of {attempt.TaskId}#{attempt.Epoch}");
                                model.Complete(attempt, accepted);
                                break;
                            case 5:
                                var permanent = step.B % 4 == 0;
                                Assert.True(accepted == await s.Store.FailAsync(attempt, "boom", 0m, permanent), $"{what}: failure of {attempt.TaskId}#{attempt.Epoch}");
                                model.Fail(attempt, accepted, permanent, now);
                                break;
                            case 6:
                                Assert.True(accepted == await s.Store.AbandonAsync(attempt, "bye"), $"{what}: hand-back of {attempt.TaskId}#{attempt.Epoch}");
                                model.Abandon(attempt, accepted);
                                break;
                            case 7:
                                Assert.True(accepted == await s.Store.RecordDecisionAsync(attempt, new Decision("p", "e", "c")), $"{what}: decision of {attempt.TaskId}#{attempt.Epoch}");
                                model.Written(attempt, accepted);
                                break;
                            default:
                                var renewed = await s.Store.RenewAsync(attempt);
                                Assert.True(accepted == renewed is not null, $"{what}: renewal of {attempt.TaskId}#{attempt.Epoch}");
                                if (renewed is not null)
                                {
                                    Assert.Equal(now + s.StaleAfter, renewed.ExpiresAt);
                                }

                                model.Renew(attempt, accepted, now);
                                break;
                        }

                        break;
                    }

                case 10 when model.Tasks.Count > 0:
                    {
                        var task = model.Tasks[step.A % model.Tasks.Count];
                        var expected = !TaskLifecycle.IsTerminalState(task.State);
                        Assert.True(expected == await s.Store.CancelAsync(task.Id), $"{what}: cancel of {task.Id} in {task.State}");
                        model.Cancel(task);
                        break;
                    }

                case 11:
                    Assert.True(model.Sweep(now) == await s.Store.SweepAsync(), $"{what}: sweep count");
                    break;

                case 12 or 13:
                    s.Advance(TimeSpan.FromMilliseconds((step.B % 5) switch { 0 => 1, 1 => 500, 2 => 2_000, 3 => s.StaleAfter.TotalMilliseconds, _ => s.StaleAfter.TotalMilliseconds + 1 }));
                    break;
            }

            await CompareAsync(s, model, what);
        }

        foreach (var task in model.Tasks)
        {
            var history = await s.HistoryAsync(task.Id);
            var endings = history.Count(e => e.Kind is TaskEventKind.Succeeded or TaskEventKind.Dead or TaskEventKind.Cancelled);
            Assert.True((TaskLifecycle.IsTerminalState(task.State) ? 1 : 0) == endings, $"{task.Id} ({task.State}) has {endings} ending events:\n{string.Join("\n", history)}");
            var started = history.Where(e => e.Kind == TaskEventKind.AttemptStarted).Select(e => e.Epoch).ToList();
            Assert.Equal(Enumerable.Range(1, started.Count).Select(i => (long)i), started);
            Assert.Equal(task.Rejections, history.Count(e => e.Kind == TaskEventKind.WriteRejected));
        }
    }

    private static async Task CompareAsync(StoreHarness s, Model model, string what)
    {
        var stored = await s.Store.ListTasksAsync();
        Assert.True(model.Tasks.Count == stored.Count, $"{what}: the store has {stored.Count} tasks, the model {model.Tasks.Count}");
        foreach (var task in stored)
        {
            var expected = model.Tasks.Single(t => t.Id == task.Id);
            var actual = (task.State, task.Attempts, task.Epoch, task.Owner, task.LeaseExpiresAt, task.DueAt);
            var wanted = (expected.State, expected.Attempts, expected.Epoch, expected.Owner, expected.ExpiresAt, expected.DueAt);
            Assert.True(wanted == actual, $"{what}: {task.Id} is {actual}, the model says {wanted}");
        }
    }

    /// <summary>One random step: what to do, and two numbers that pick its arguments.</summary>
    private sealed record Step(int Kind, int A, int B);

    /// <summary>What a claim should return for one task.</summary>
    private sealed record Claimed(string Id, int Number, long Epoch, DateTimeOffset ExpiresAt);

    /// <summary>The contract's rules, on a list of tasks.</summary>
    private sealed class Model(TimeSpan staleAfter)
    {
        public List<ModelTask> Tasks { get; } = [];

        public void Create(string id, RetryPolicy retry, string kind) =>
            Tasks.Add(new ModelTask(id, kind, retry, Tasks.Count));

        public List<Claimed> Claim(string owner, int max, string[] kinds, DateTimeOffset now)
        {
            var claimed = new List<Claimed>();
            foreach (var task in Tasks.Where(t => kinds.Contains(t.Kind)
                         && (t.State == TaskLifecycle.State.Queued || (t.State == TaskLifecycle.State.RetryScheduled && t.DueAt <= now))).Take(max))
            {
                task.State = TaskLifecycle.State.Running;
                task.Attempts++;
                task.Epoch++;
                task.Owner = owner;
                task.ExpiresAt = now + staleAfter;
                task.DueAt = null;
                claimed.Add(new Claimed(task.Id, task.Attempts, task.Epoch, task.ExpiresAt.Value));
            }

            return claimed;
        }

        public bool Holds(StoredAttempt attempt, DateTimeOffset now)
        {
            var task = Find(attempt.TaskId);
            return task.State == TaskLifecycle.State.Running && task.Epoch == attempt.Epoch && now <= task.ExpiresAt;
        }

        public void Complete(StoredAttempt attempt, bool accepted)
        {
            if (Written(attempt, accepted))
            {
                End(Find(attempt.TaskId), TaskLifecycle.State.Succeeded);
            }
        }

        public void Fail(StoredAttempt attempt, bool accepted, bool permanent, DateTimeOffset now)
        {
            if (!Written(attempt, accepted))
            {
                return;
            }

            var task = Find(attempt.TaskId);
            if (!permanent && task.Retry.HasAttemptsLeft(task.Attempts))
            {
                End(task, TaskLifecycle.State.RetryScheduled);
                task.DueAt = now + task.Retry.DelayBeforeAttempt(task.Attempts + 1, StoreSetup.DefaultJitter);
            }
            else
            {
                End(task, TaskLifecycle.State.Dead);
            }
        }

        public void Abandon(StoredAttempt attempt, bool accepted)
        {
            if (Written(attempt, accepted))
            {
                End(Find(attempt.TaskId), TaskLifecycle.State.Queued);
            }
        }

        public void Renew(StoredAttempt attempt, bool accepted, DateTimeOffset now)
        {
            if (Written(attempt, accepted))
            {
                Find(attempt.TaskId).ExpiresAt = now + staleAfter;
            }
        }

        /// <summary>Counts a rejected write; true when it was accepted.</summary>
        public bool Written(StoredAttempt attempt, bool accepted)
        {
            if (!accepted)
            {
                Find(attempt.TaskId).Rejections++;
            }

            return accepted;
        }

        public void Cancel(ModelTask task)
        {
            if (!TaskLifecycle.IsTerminalState(task.State))
            {
                End(task, TaskLifecycle.State.Cancelled);
            }
        }

        public int Sweep(DateTimeOffset now)
        {
            var stale = Tasks.Where(t => t.State == TaskLifecycle.State.Running && t.ExpiresAt < now).ToList();
            foreach (var task in stale)
            {
                End(task, task.Retry.HasAttemptsLeft(task.Attempts) ? TaskLifecycle.State.Queued : TaskLifecycle.State.Dead);
            }

            return stale.Count;
        }

        private static void End(ModelTask task, TaskLifecycle.State state)
        {
            Assert.False(TaskLifecycle.IsTerminalState(task.State), $"the model moved the ended task {task.Id} out of {task.State}");
            task.State = state;
            task.Owner = null;
            task.ExpiresAt = null;
            task.DueAt = null;
        }

        private ModelTask Find(string id) => Tasks.Single(t => t.Id == id);
    }

    /// <summary>A task as the model holds it.</summary>
    private sealed class ModelTask(string id, string kind, RetryPolicy retry, int sequence)
    {
        public string Id { get; } = id;

        public string Kind { get; } = kind;

        public RetryPolicy Retry { get; } = retry;

        public int Sequence { get; } = sequence;

        public TaskLifecycle.State State { get; set; } = TaskLifecycle.State.Queued;

        public int Attempts { get; set; }

        public long Epoch { get; set; }

        public string? Owner { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        public DateTimeOffset? DueAt { get; set; }

        public int Rejections { get; set; }
    }
}
