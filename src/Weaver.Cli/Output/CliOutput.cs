using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Weaver.Cli.Output;

/// <summary>
/// Where a command writes its answer: tables and text for people (through Spectre.Console, coloured on a terminal), or
/// one JSON document for scripts. Errors go to stderr in both modes (<see cref="WeaverCommandLine"/>).
/// </summary>
internal sealed class CliOutput
{
    /// <summary>The width tables wrap at when stdout is a pipe or a file and <c>COLUMNS</c> is not set.</summary>
    public const int RedirectedWidth = 200;

    private readonly CliEnvironment _environment;
    private IAnsiConsole? _console;

    public CliOutput(CliEnvironment environment, bool json)
    {
        _environment = environment;
        Json = json;
    }

    /// <summary>Whether the command answers in JSON (<c>--json</c>).</summary>
    public bool Json { get; }

    /// <summary>Writes <paramref name="value"/> as one indented JSON document (camelCase, enums by name).</summary>
    /// <typeparam name="T">Its type.</typeparam>
    /// <param name="value">The answer.</param>
    /// <param name="typeInfo">Its type's metadata from <see cref="CliJsonContext"/>.</param>
    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo) => _environment.Out.WriteLine(JsonSerializer.Serialize(value, typeInfo));

    /// <summary>Writes a table or other renderable.</summary>
    /// <param name="renderable">What to show.</param>
    public void Write(IRenderable renderable) => Console.Write(renderable);

    /// <summary>Writes a line of plain text, exactly as given (no markup, no wrapping).</summary>
    /// <param name="text">The text.</param>
    public void WriteLine(string text = "") => _environment.Out.WriteLine(text);

    private IAnsiConsole Console => _console ??= CreateConsole();

    private IAnsiConsole CreateConsole()
    {
        var terminal = _environment.OutIsTerminal;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_environment.Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (int.TryParse(_environment.GetVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0)
        {
            console.Profile.Width = columns;
        }
        else if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
