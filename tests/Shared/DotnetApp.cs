using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Weaver.Tests.Shared;

/// <summary>
/// Starts a built .NET app as its users do, <c>dotnet &lt;app&gt;.dll &lt;arguments&gt;</c>: found where the build
/// recorded it in the test assembly, run by the host the tests run under, with stdout and stderr redirected as UTF-8.
/// Linked into each test project that runs an app as a process.
/// </summary>
internal static class DotnetApp
{
    /// <summary>What starts <paramref name="dll"/> with <paramref name="arguments"/>; the caller adds what its app needs.</summary>
    /// <param name="dll">The app.</param>
    /// <param name="arguments">Its command line after the dll.</param>
    /// <returns>The start info: output and errors redirected, no shell.</returns>
    public static ProcessStartInfo StartInfo(string dll, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Host())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The path the build recorded under <paramref name="key"/> (an <see cref="AssemblyMetadataAttribute"/> the project file adds).</summary>
    /// <param name="testAssembly">The test assembly.</param>
    /// <param name="key">The metadata key.</param>
    /// <returns>The path, or null when none is recorded.</returns>
    public static string? RecordedPath(Assembly testAssembly, string key) =>
        testAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    /// <summary><paramref name="path"/>, when the file is there.</summary>
    /// <param name="path">Where the app should be.</param>
    /// <param name="app">The app, as the error names it.</param>
    /// <param name="hint">What builds it.</param>
    /// <returns>The path.</returns>
    /// <exception cref="InvalidOperationException">No file is there.</exception>
    public static string Existing(string? path, string app, string hint) =>
        path is not null && File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{app} was not found at '{path ?? "(no path recorded)"}'. {hint}");

    private static string Host() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
