using Microsoft.Extensions.Logging;

namespace Weaver.Hosting.Tests;

/// <summary>Builds real generic hosts (<see cref="Host.CreateApplicationBuilder()"/>) with Weaver added.</summary>
internal static class TestHosts
{
    /// <summary>A host with the assembly's handlers and Weaver configured by <paramref name="weaver"/>; the clock is <paramref name="time"/> when given.</summary>
    public static IHost Build(Action<WeaverOptions> weaver, TimeProvider? time = null, Action<IServiceCollection>? services = null, bool handlers = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        if (handlers)
        {
            builder.Services.AddWeaverHandlers();
        }

        builder.Services.AddWeaver(weaver);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A one-task job.</summary>
    public static JobSpec Job(string kind, string input, string? id = null) => new([new JobTaskSpec("only", kind, input)]) { Id = id };
}

/// <summary>A folder of its own for a test's SQLite file, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "weaver-hosting-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the temp folder is cleaned by the system.
        }
    }
}
