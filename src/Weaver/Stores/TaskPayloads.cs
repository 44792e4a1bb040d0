using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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
    /// ahead-of-time compiled application, where reflection-based serialization is off, must replace with its
    /// source-generated <c>JsonSerializerContext</c>.
    /// </param>
    /// <exception cref="InvalidOperationException">No options were given and reflection-based serialization is off.</exception>
    public TaskPayloads(JsonSerializerOptions? json = null) => Json = json ?? ReflectionDefaults();

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

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Used only when JsonSerializer.IsReflectionEnabledByDefault, which trimmed and AOT applications turn off.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Used only when JsonSerializer.IsReflectionEnabledByDefault, which trimmed and AOT applications turn off.")]
    private static JsonSerializerOptions ReflectionDefaults()
    {
        // A feature guard: in an application that turned reflection-based serialization off, this branch is trimmed away.
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
            options.MakeReadOnly();
            return options;
        }

        throw new InvalidOperationException(
            "Reflection-based JSON serialization is off in this application (trimmed or compiled ahead of time), so Weaver cannot read task inputs and results "
            + "by itself: pass JsonSerializerOptions whose TypeInfoResolver is your source-generated JsonSerializerContext (WorkerGroupOptions.Json, or new TaskPayloads(options)).");
    }
}
