using System.Buffers;
using System.Text.Json;

namespace Weaver;

/// <summary>
/// The metadata line format of <see cref="ArtifactStore"/>: one JSON object per <see cref="ArtifactRef"/>, with
/// camel-case properties, the kind as its name and the time as ISO 8601. Written by hand rather than by reflection or a
/// serializer generator, so the runtime stays trimmable and the on-disk format is spelled out here.
/// </summary>
internal static class ArtifactJson
{
    /// <summary>The artifact as one line, its newline included.</summary>
    public static byte[] ToLine(ArtifactRef artifact)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jobId", artifact.JobId);
            writer.WriteString("taskId", artifact.TaskId);
            writer.WriteNumber("attempt", artifact.Attempt);
            writer.WriteString("name", artifact.Name);
            writer.WriteString("kind", artifact.Kind.ToString());
            writer.WriteString("contentHash", artifact.ContentHash);
            writer.WriteNumber("length", artifact.Length);
            writer.WriteString("url", artifact.Url?.OriginalString);
            writer.WriteString("createdAt", artifact.CreatedAt);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one line (without its newline).</summary>
    /// <exception cref="FormatException">The line is not an artifact record; the message says what is wrong.</exception>
    public static ArtifactRef FromLine(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var kindName = root.GetProperty("kind").GetString();
            if (!Enum.TryParse<ArtifactKind>(kindName, ignoreCase: false, out var kind) || !Enum.IsDefined(kind) || kindName != kind.ToString())
            {
                throw new FormatException($"'{kindName}' is not an artifact kind.");
            }

            var url = root.GetProperty("url").GetString();
            return new ArtifactRef(
                Required(root, "jobId"),
                Required(root, "taskId"),
                root.GetProperty("attempt").GetInt32(),
                Required(root, "name"),
                kind,
                root.GetProperty("contentHash").GetString(),
                root.GetProperty("length").GetInt64(),
                url is null ? null : new Uri(url, UriKind.Absolute),
                root.GetProperty("createdAt").GetDateTimeOffset());
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or UriFormatException)
        {
            throw new FormatException(exception.Message, exception);
        }
    }

    private static string Required(JsonElement root, string property) =>
        root.GetProperty(property).GetString() ?? throw new FormatException($"'{property}' is null.");
}
