using System.Text.Json;

namespace Weaver;

/// <summary>
/// Handler inputs and results as the JSON a durable store keeps, by the types the handler declares. Serialization goes
/// through <see cref="JsonSerializerOptions.GetTypeInfo(Type)"/>, so an application compiled ahead of time passes options
/// whose resolver is a source-generated <c>JsonSerializerContext</c>.
/// </summary>
public sealed class TaskPayloads
{
    /// <summary>Creates the converter.</summary>
    /// <param name="json">
    /// The serializer options. When null: web defaults (camelCase) with the reflection resolver, which a trimmed or
    /// ahead-of-time compiled application must replace with its source-generated context.
    /// </param>
    public TaskPayloads(JsonSerializerOptions? json = null) => Json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    /// <summary>The serializer options.</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>A payload as JSON.</summary>
    /// <param name="value">The payload.</param>
    /// <param name="type">Its declared type.</param>
    /// <returns>The JSON text; null for a null payload.</returns>
    public string? Write(object? value, Type type) =>
        value is null ? null : JsonSerializer.Serialize(value, Json.GetTypeInfo(type));

    /// <summary>Reads a task's input as its handler's input type.</summary>
    /// <param name="taskId">The task, for the error.</param>
    /// <param name="kind">Its kind, for the error.</param>
    /// <param name="json">The stored input.</param>
    /// <param name="type">The handler's input type.</param>
    /// <returns>The input.</returns>
    /// <exception cref="InvalidTaskInputException">The JSON does not deserialize as <paramref name="type"/>; the message names the task.</exception>
    public object? ReadInput(string taskId, string kind, string? json, Type type)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, Json.GetTypeInfo(type));
        }
        catch (Exception error) when (error is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidTaskInputException(taskId, kind, type, error);
        }
    }
}
