namespace Weaver.Cli;

/// <summary>What a run of weaver reads and writes outside its arguments: environment variables, stdout and stderr.</summary>
/// <param name="GetVariable">Reads an environment variable; null when it is not set.</param>
/// <param name="Out">Where answers go (tables, JSON, Mermaid).</param>
/// <param name="Error">Where errors go.</param>
/// <param name="OutIsTerminal">Whether <paramref name="Out"/> is a terminal (colours, the terminal's width) rather than a pipe or file.</param>
internal sealed record CliEnvironment(Func<string, string?> GetVariable, TextWriter Out, TextWriter Error, bool OutIsTerminal)
{
    /// <summary>This process's environment, stdout and stderr.</summary>
    /// <returns>The environment.</returns>
    public static CliEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Console.Out, Console.Error, !Console.IsOutputRedirected);
}
