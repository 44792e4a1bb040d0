using System.Text.Json;
using System.Text.Json.Serialization;

namespace Weaver.Cli.Output;

/// <summary>Writes a <see cref="JobId"/> as its string, as every other id in the CLI's JSON is.</summary>
internal sealed class JobIdJsonConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A job id must be a string."));

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
