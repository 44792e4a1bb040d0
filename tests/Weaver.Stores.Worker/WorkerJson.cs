using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weaver.Stores.Worker;

/// <summary>
/// How the worker reads its inputs and writes its results: web defaults (camelCase), source-generated, as an
/// ahead-of-time compiled application passes them (<see cref="WorkerGroupOptions.Json"/>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(WorkDone))]
internal sealed partial class WorkerJson : JsonSerializerContext;
