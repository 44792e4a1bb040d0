using System.Text.Json.Serialization;
using Weaver.Cli.Jobs;
using Weaver.Cli.Leases;
using Weaver.Cli.Locks;

namespace Weaver.Cli.Output;

/// <summary>
/// The JSON shapes of <c>--json</c>, source-generated: camelCase names, enums by name, nulls written (every field is
/// always there), indented. The shapes are documented in <c>src/Weaver.Cli/README.md</c>; a field is only ever added.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(JobIdJsonConverter)])]
[JsonSerializable(typeof(JobLifecycle.State), TypeInfoPropertyName = "JobLifecycleState")]
[JsonSerializable(typeof(SagaLifecycle.State), TypeInfoPropertyName = "SagaLifecycleState")]
[JsonSerializable(typeof(SagaLifecycle.State?), TypeInfoPropertyName = "NullableSagaLifecycleState")]
[JsonSerializable(typeof(JobsReport))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(JobExplanation))]
[JsonSerializable(typeof(GraphReport))]
[JsonSerializable(typeof(LeasesReport))]
[JsonSerializable(typeof(LocksReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
