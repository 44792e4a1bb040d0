using System.Text.Json.Serialization;

namespace Weaver;

/// <summary>The metadata lines' serializer, generated so the runtime stays trimmable and AOT-compatible.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(ArtifactRef))]
internal sealed partial class ArtifactJsonContext : JsonSerializerContext;
