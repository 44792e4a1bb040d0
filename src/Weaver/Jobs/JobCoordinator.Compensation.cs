namespace Weaver;

/// <summary>How a saga ends: the compensations of its succeeded steps, one at a time, last step first.</summary>
/// <remarks>
/// A saga stops running forward when a task fails (none can run anymore), it is cancelled, or a budget is reached; its
/// <see cref="JobRun.EndAs"/> says how the job will end. Its compensations are planned once no task of it is in the engine
/// anymore, so a task that committed while the saga stopped is undone too. The job's lifecycle stays Running until the
/// saga is terminal, so a waiter never sees a saga end with compensations still to run.
/// </remarks>
public sealed partial class JobCoordinator
{
    /// <summary>What a compensation's engine task id adds to its step's: <c>{jobId}/{taskId}#compensation</c>.</summary>
    private const string CompensationSuffix = "#compensation";

    /// <summary>
    /// Call under the job's gate, for a saga that stopped running forward: once none of its tasks is in the engine, plans
    /// the compensations, starts the next one, or ends the saga.
    /// </summary>
    private void AdvanceCompensation(JobRun run, Step step)
    {
        var saga = run.Saga!;
        if (run.Tasks.Values.Any(task => task.State == JobTaskState.Queued))
        {
            return; // a task the stop could not cancel is ending: what it did must be known before planning
        }

        if (saga.Current == SagaLifecycle.State.Running)
        {
            if (run.Undo.Count == 0)
            {
                _ = saga.TryFail();
                EndSaga(run, step, "Nothing had to be compensated.", new Decision(PolicyText.Saga, "No step with a compensation had succeeded.", "The saga failed with nothing to undo."));
                return;
            }

            _ = saga.TryCompensate();
            foreach (var taskId in Enumerable.Reverse(run.Undo))
            {
                var kind = run.Tasks[taskId].Spec.Compensation!.Kind;
                run.Compensations.Add(new CompensationRecord(taskId, kind, $"{run.Id}/{taskId}{CompensationSuffix}", CompensationState.Pending, 0, null, null, null));
            }

            var order = string.Join(", ", run.Compensations.Select(c => $"'{c.TaskId}'"));
            Record(
                run,
                step,
                null,
                JobEventKind.CompensationStarted,
                $"Compensating {run.Compensations.Count} step(s), last first: {order}.",
                new Decision(PolicyText.Saga, $"{run.Reason} Succeeded steps with a compensation: {order}.", $"Their compensations run in this order: {order}."));
        }

        if (saga.Current != SagaLifecycle.State.Compensating || run.Compensations.Any(c => c.State == CompensationState.Running))
        {
            return;
        }

        var next = run.Compensations.FindIndex(c => c.State == CompensationState.Pending);
        if (next >= 0)
        {
            StartCompensation(run, next, step);
            return;
        }

        _ = saga.TryMarkCompensated();
        var undone = string.Join(", ", run.Compensations.Select(c => $"'{c.TaskId}'"));
        EndSaga(run, step, $"Compensated: {undone}.", new Decision(PolicyText.Saga, $"Every compensation succeeded: {undone}.", "The saga is compensated."));
    }

    /// <summary>Call under the job's gate. Hands one compensation to the engine; one that cannot be handed over fails.</summary>
    private void StartCompensation(JobRun run, int index, Step step)
    {
        var compensation = run.Compensations[index];
        var task = run.Tasks[compensation.TaskId];
        var spec = task.Spec.Compensation!;
        var now = _tasks.TimeProvider.GetUtcNow();
        try
        {
            _tasks.Submit(compensation.EngineTaskId, spec.Kind, spec.Input ?? task.Result, spec.Retry ?? _tasks.DefaultRetry, [], job: null);
        }
        catch (ArgumentException refused)
        {
            run.Compensations[index] = compensation with
            {
                State = CompensationState.Failed,
                Error = $"It could not be handed to the engine: {refused.Message}",
                StartedAt = now,
                EndedAt = now,
            };
            Quarantine(run, index, step);
            return;
        }

        run.Compensations[index] = compensation with { State = CompensationState.Running, StartedAt = now };
        step.FollowCompensations.Add((index, compensation.EngineTaskId));
    }

    /// <summary>Call under the job's gate.</summary>
    private void CompensationEnded(JobRun run, int index, TaskSnapshot ended, Step step)
    {
        var compensation = run.Compensations[index];
        var now = _tasks.TimeProvider.GetUtcNow();
        if (ended.State == TaskLifecycle.State.Succeeded)
        {
            run.Compensations[index] = compensation with { State = CompensationState.Succeeded, Attempts = ended.Attempts, EndedAt = now };
            run.Tasks[compensation.TaskId].State = JobTaskState.Compensated;
            Record(run, step, compensation.TaskId, JobEventKind.TaskCompensated, $"Undone by '{compensation.Kind}' after {ended.Attempts} attempt(s).");
            AdvanceCompensation(run, step);
            return;
        }

        run.Compensations[index] = compensation with
        {
            State = CompensationState.Failed,
            Attempts = ended.Attempts,
            Error = ended.Error ?? $"It is {ended.State.ToString().ToLowerInvariant()}.",
            EndedAt = now,
        };
        Quarantine(run, index, step);
    }

    /// <summary>Call under the job's gate, when a compensation failed: the later ones never run, and the saga is quarantined.</summary>
    private void Quarantine(JobRun run, int index, Step step)
    {
        var failed = run.Compensations[index];
        for (var later = index + 1; later < run.Compensations.Count; later++)
        {
            run.Compensations[later] = run.Compensations[later] with
            {
                State = CompensationState.NotRun,
                Error = $"Not run: the compensation of '{failed.TaskId}' failed first.",
            };
        }

        _ = run.Saga!.TryQuarantine();
        var left = run.Compensations.Where(c => c.State != CompensationState.Succeeded).Select(c => $"'{c.TaskId}'").ToArray();
        var why = $"The compensation '{failed.Kind}' of '{failed.TaskId}' failed after {failed.Attempts} attempt(s): {failed.Error}";
        Record(
            run,
            step,
            failed.TaskId,
            JobEventKind.CompensationFailed,
            why,
            new Decision(PolicyText.Saga, why, $"The saga is quarantined; not compensated: {string.Join(", ", left)}."));
        EndSaga(run, step, $"Quarantined: the compensation of '{failed.TaskId}' failed ({Sentence(failed.Error!).TrimEnd('.')}); not compensated: {string.Join(", ", left)}.");
    }

    /// <summary>Call under the job's gate, once the saga is terminal: the job ends as it was set to when the saga stopped.</summary>
    private void EndSaga(JobRun run, Step step, string outcome, Decision? decision = null)
    {
        run.Reason = $"{Sentence(run.Reason!)} {outcome}";
        var cancelled = run.EndAs == JobLifecycle.State.Cancelled;
        _ = cancelled ? run.Lifecycle.TryCancel() : run.Lifecycle.TryFail();
        Finish(run, step, cancelled ? JobEventKind.JobCancelled : JobEventKind.JobFailed, run.Reason, decision);
    }
}
