using System.CommandLine;
using Npgsql;
using Weaver.Cli.Output;
using Weaver.Cli.Stores;
using Weaver.PostgreSql;

namespace Weaver.Cli.Commands;

/// <summary>What a command that reads a store gets: the open store, where it is, and where to write the answer.</summary>
/// <param name="Store">The open store.</param>
/// <param name="Location">Where it is, for messages.</param>
/// <param name="Output">Where the answer goes.</param>
internal sealed record StoreCommandContext(IWeaverStore Store, StoreLocation Location, CliOutput Output);

/// <summary>
/// Runs a command against the store the options name: resolves and opens it, runs the command's body, and turns every
/// failure into a message on stderr and an exit code (<see cref="ExitCodes"/>). The one place errors are mapped.
/// </summary>
internal static class StoreCommand
{
    /// <summary>Sets <paramref name="command"/>'s action to run <paramref name="body"/> on the store.</summary>
    /// <param name="command">The command.</param>
    /// <param name="options">The shared options.</param>
    /// <param name="environment">The process's environment and output.</param>
    /// <param name="body">What the command does with the store; it throws <see cref="CliException"/> for what the user can fix.</param>
    public static void SetAction(
        Command command,
        CliOptions options,
        CliEnvironment environment,
        Func<ParseResult, StoreCommandContext, CancellationToken, Task> body)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            StoreLocation? location = null;
            try
            {
                location = options.Store.Resolve(parseResult, environment.GetVariable);
                var output = new CliOutput(environment, parseResult.GetValue(options.Json));
                await using var store = await StoreConnector.OpenAsync(location, cancellationToken).ConfigureAwait(false);
                await body(parseResult, new StoreCommandContext(store, location, output), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                environment.Error.WriteLine("weaver: interrupted.");
                return ExitCodes.Interrupted;
            }
            catch (Exception error)
            {
                var failure = Explain(error, location);
                environment.Error.WriteLine($"weaver: {failure.Message}");
                return failure.ExitCode;
            }
        });
    }

    /// <summary>What to tell the user about a failure, and the exit code.</summary>
    private static (string Message, int ExitCode) Explain(Exception error, StoreLocation? location) => error switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        StoreRowException row => (
            $"{location?.Description ?? "The store"} has a row this weaver cannot read: {row.Message} "
            + "A newer version of Weaver may have written it; use a weaver of the same version as your workers.",
            ExitCodes.StoreUnavailable),
        TimeoutException timeout => (timeout.Message, ExitCodes.StoreUnavailable),
        PostgreSqlStoreUnavailableException or NpgsqlException when location is StoreLocation.Postgres postgres =>
            (PostgresStoreProbe.Describe(postgres, error).Message, ExitCodes.StoreUnavailable),
        _ => ($"unexpected error (please report it with this text): {error}", ExitCodes.Unexpected),
    };
}
