using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Weaver.Cli.Commands;
using Weaver.Cli.Jobs;
using Weaver.Cli.Leases;
using Weaver.Cli.Locks;

namespace Weaver.Cli;

/// <summary>The <c>weaver</c> command line: its commands, its options, and how a usage error becomes exit code 2.</summary>
internal static class WeaverCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">The environment, stdout and stderr.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment)
    {
        var root = CreateRoot(environment);
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                environment.Error.WriteLine($"weaver: {error.Message}");
            }

            var command = string.Join(' ', parseResult.CommandResult.Command == root ? ["weaver"] : ["weaver", parseResult.CommandResult.Command.Name]);
            environment.Error.WriteLine($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,

            // StoreCommand maps every failure to a message and an exit code itself (unexpected ones to 4).
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(configuration).ConfigureAwait(false);
    }

    private static Command CreateRoot(CliEnvironment environment)
    {
        var options = new CliOptions();

        // Not a RootCommand, whose name is the executable's: that is the assembly, Weaver.Cli, and help must say weaver.
        var root = new Command(
            "weaver",
            "Reads a Weaver store: its jobs, a job's status, explanation and task graph, the live leases and the resource locks. "
            + "Name the store with --sqlite PATH or --postgres CONNECTION_STRING (or WEAVER_SQLITE / WEAVER_POSTGRES). "
            + "Exit codes: 0 ok (an empty list too), 1 not found (an unknown job id), 2 usage error, 3 the store cannot be read, 4 unexpected error.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(JobsCommand.Create(options, environment));
        root.Subcommands.Add(StatusCommand.Create(options, environment));
        root.Subcommands.Add(ExplainCommand.Create(options, environment));
        root.Subcommands.Add(GraphCommand.Create(options, environment));
        root.Subcommands.Add(LeasesCommand.Create(options, environment));
        root.Subcommands.Add(LocksCommand.Create(options, environment));
        return root;
    }
}
