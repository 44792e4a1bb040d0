using System.Text.Encodings.Web;
using System.Text.Json;
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
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context every command writes with: as <see cref="JsonSerializerContext"/>'s default, but with quotes and
    /// non-ASCII text written as they are (<c>'charge'</c>, not <c>\u0027charge\u0027</c>). The output goes to a terminal,
    /// a file or a pipe, never into HTML, which is what the default escaping guards against.
    /// </summary>
    /// <remarks>Made on first use: a static initializer here could run before the generated <see cref="Default"/>'s.</remarks>
    public static CliJsonContext Output => output ??= new CliJsonContext(
        new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static CliJsonContext? output;
}
