using System.Text.Json;

namespace Weaver;

/// <summary>A job's run to its stored document and back.</summary>
internal static class JobDocuments
{
    /// <summary>Call under the job's gate.</summary>
    public static string Write(JobRun run, string? owner)
    {
        var graph = run.Graph;
        var document = new JobDocument(
            JobDocument.CurrentVersion,
            run.Id.Value,
            owner,
            graph.Spec.MaxDecompositionDepth,
            ToDocument(graph.Spec.Budget.MaxAttempts, graph.Spec.Budget.Deadline, graph.Spec.Budget.MaxCost),
            [.. graph.TaskIds.Select(id => ToDocument(run.Tasks[id], graph.DependenciesOf(id)))],
            run.Lifecycle.Current,
            run.Saga?.Current,
            run.EndAs,
            run.Reason,
            [.. run.Undo],
            [.. run.Compensations],
            [.. run.Audit],
            [.. run.Events.Select(e => new JobEventDocument(e.At, e.TaskId, e.Kind, e.Detail, e.Decision))]);
        return JsonSerializer.Serialize(document, JobDocumentJson.Default.JobDocument);
    }

    /// <summary>Reads a stored job's document.</summary>
    /// <exception cref="StoreRowException">The document is not one this coordinator can read.</exception>
    public static JobDocument Read(StoredJob job)
    {
        JobDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(job.Document, JobDocumentJson.Default.JobDocument);
        }
        catch (JsonException error)
        {
            throw new StoreRowException("jobs", job.Id, $"its document is not a Weaver job document: {error.Message}", error);
        }

        return document switch
        {
            null => throw new StoreRowException("jobs", job.Id, "its document is JSON null, not a Weaver job document."),
            { Version: > JobDocument.CurrentVersion } => throw new StoreRowException(
                "jobs", job.Id, $"its document has format {document.Version}, newer than this Weaver's {JobDocument.CurrentVersion}; upgrade Weaver to read it."),
            _ => document,
        };
    }

    /// <summary>The job's run as its document says it is.</summary>
    public static JobRun ToRun(JobDocument document)
    {
        var tasks = document.Tasks.Select(ToSpec).ToArray();
        var spec = new JobSpec(tasks)
        {
            Id = document.Id,
            Budget = new JobBudget { MaxAttempts = document.Budget.MaxAttempts, Deadline = document.Budget.Deadline, MaxCost = document.Budget.MaxCost },
            MaxDecompositionDepth = document.MaxDecompositionDepth,
        };
        var id = new JobId(document.Id);
        var run = new JobRun(id, JobGraph.Build(spec))
        {
            Lifecycle = JobLifecycle.Restore(new JobLifecycle(), document.Lifecycle),
            Saga = document.Saga is { } saga ? SagaLifecycle.Restore(new SagaLifecycle(), saga) : null,
            EndAs = document.EndAs,
            Reason = document.Reason,
        };
        foreach (var (stored, taskSpec) in document.Tasks.Zip(tasks))
        {
            run.Tasks[stored.Id] = new JobTaskRecord(taskSpec, $"{id}/{stored.Id}", stored.Waiting, stored.Parent, stored.Depth)
            {
                State = stored.State,
                ChildrenLeft = stored.ChildrenLeft,
                Submitted = stored.Submitted,
                Attempts = stored.Attempts,
                Cost = stored.Cost,
                MaxAttempts = stored.MaxAttempts,
                Result = stored.Result,
                Error = stored.Error,
            };
        }

        run.Undo.AddRange(document.Undo);
        run.Compensations.AddRange(document.Compensations);
        run.Audit.AddRange(document.Audit);
        run.Events.AddRange(document.Events.Select(e => new JobEvent(e.At, id, e.TaskId, e.Kind, e.Detail) { Decision = e.Decision }));
        return run;
    }

    private static JobTaskDocument ToDocument(JobTaskRecord task, IReadOnlyList<string> dependsOn)
    {
        var spec = task.Spec;
        return new JobTaskDocument(
            spec.Id,
            spec.Kind,
            (JsonElement?)spec.Input,
            dependsOn,
            ToDocument(spec.Budget.MaxAttempts, spec.Budget.Deadline, spec.Budget.MaxCost),
            spec.Resources,
            ToDocument(spec.Retry),
            spec.Compensation is { } compensation ? new CompensationDocument(compensation.Kind, (JsonElement?)compensation.Input, ToDocument(compensation.Retry)) : null,
            task.State,
            task.Waiting,
            task.Parent,
            task.Depth,
            task.ChildrenLeft,
            task.Submitted,
            task.Attempts,
            task.Cost,
            task.MaxAttempts,
            (JsonElement?)task.Result,
            task.Error);
    }

    private static JobTaskSpec ToSpec(JobTaskDocument task) => new(task.Id, task.Kind, task.Input)
    {
        DependsOn = task.DependsOn,
        Budget = new TaskBudget { MaxAttempts = task.Budget.MaxAttempts, Deadline = task.Budget.Deadline, MaxCost = task.Budget.MaxCost },
        Resources = task.Resources,
        Retry = ToPolicy(task.Retry),
        Compensation = task.Compensation is { } compensation ? new CompensationSpec(compensation.Kind) { Input = compensation.Input, Retry = ToPolicy(compensation.Retry) } : null,
    };

    private static BudgetDocument ToDocument(int? maxAttempts, TimeSpan? deadline, decimal? maxCost) => new(maxAttempts, deadline, maxCost);

    private static RetryDocument? ToDocument(RetryPolicy? retry) =>
        retry is null ? null : new(retry.MaxAttempts, retry.InitialDelay, retry.Multiplier, retry.MaxDelay, retry.Jitter);

    private static RetryPolicy? ToPolicy(RetryDocument? retry) => retry is null ? null : new RetryPolicy
    {
        MaxAttempts = retry.MaxAttempts,
        InitialDelay = retry.InitialDelay,
        Multiplier = retry.Multiplier,
        MaxDelay = retry.MaxDelay,
        Jitter = retry.Jitter,
    };
}
