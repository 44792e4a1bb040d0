using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weaver;

/// <summary>
/// A store-backed job as its coordinator keeps it in the store's job row (<see cref="StoredJob.Document"/>): its spec,
/// each task's state, its saga, and its events. A coordinator that takes the job over rebuilds the job from it.
/// </summary>
/// <remarks>
/// The document is a stored format, kept apart from the public types so they can change without breaking stored jobs;
/// <see cref="Version"/> says which format a document has.
/// </remarks>
internal sealed record JobDocument(
    int Version,
    string Id,
    string? Owner,
    int MaxDecompositionDepth,
    BudgetDocument Budget,
    IReadOnlyList<JobTaskDocument> Tasks,
    JobLifecycle.State Lifecycle,
    SagaLifecycle.State? Saga,
    JobLifecycle.State? EndAs,
    string? Reason,
    IReadOnlyList<string> Undo,
    IReadOnlyList<CompensationRecord> Compensations,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<JobEventDocument> Events)
{
    /// <summary>The format this coordinator writes and reads.</summary>
    public const int CurrentVersion = 1;
}

internal sealed record BudgetDocument(int? MaxAttempts, TimeSpan? Deadline, decimal? MaxCost);

internal sealed record RetryDocument(int MaxAttempts, TimeSpan InitialDelay, double Multiplier, TimeSpan MaxDelay, double Jitter);

internal sealed record CompensationDocument(string Kind, JsonElement? Input, RetryDocument? Retry);

internal sealed record JobTaskDocument(
    string Id,
    string Kind,
    JsonElement? Input,
    IReadOnlyList<string> DependsOn,
    BudgetDocument Budget,
    IReadOnlyList<string> Resources,
    RetryDocument? Retry,
    CompensationDocument? Compensation,
    JobTaskState State,
    int Waiting,
    string? Parent,
    int Depth,
    int ChildrenLeft,
    bool Submitted,
    int Attempts,
    decimal Cost,
    int MaxAttempts,
    JsonElement? Result,
    string? Error);

internal sealed record JobEventDocument(DateTimeOffset At, string? TaskId, JobEventKind Kind, string Detail, Decision? Decision);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobDocument))]
[JsonSerializable(typeof(JobLifecycle.State), TypeInfoPropertyName = "JobState")]
[JsonSerializable(typeof(JobLifecycle.State?), TypeInfoPropertyName = "NullableJobState")]
[JsonSerializable(typeof(SagaLifecycle.State), TypeInfoPropertyName = "SagaState")]
[JsonSerializable(typeof(SagaLifecycle.State?), TypeInfoPropertyName = "NullableSagaState")]
internal sealed partial class JobDocumentJson : JsonSerializerContext;
