using System.CommandLine;
using Weaver.Cli.Commands;

namespace Weaver.Cli.Jobs;

/// <summary>
/// Reads jobs through a store-backed <see cref="JobCoordinator"/> used read-only: only its read methods are called, never
/// <see cref="JobCoordinator.ResumeAsync"/>, cancel or annotate, so a read never takes a job over from the coordinator that
/// runs it (ADR 0023). With no job of its own, its heartbeat writes nothing.
/// </summary>
internal sealed class JobReader : IDisposable
{
    private readonly JobCoordinator _coordinator;
    private readonly StoreCommandContext _context;

    public JobReader(StoreCommandContext context)
    {
        _context = context;

        // No handlers: the reader never submits, so it never checks a kind.
        _coordinator = new JobCoordinator(
            context.Store,
            new HandlerRegistry(),
            new JobCoordinatorOptions { Owner = $"weaver-cli:{Environment.MachineName}:{Environment.ProcessId}" });
    }

    /// <summary>The job's <c>JOB</c> argument, shared by the commands that read one job; an empty id is a usage error.</summary>
    /// <returns>The argument.</returns>
    public static Argument<string> JobArgument()
    {
        var argument = new Argument<string>("JOB") { Description = "The job's id, as 'weaver jobs' lists it." };
        argument.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("JOB is empty; give a job's id, as 'weaver jobs' lists it.");
            }
        });
        return argument;
    }

    /// <summary>The job id the command line gives (checked by <see cref="JobArgument"/>'s validator).</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="argument">The <c>JOB</c> argument.</param>
    /// <returns>The id.</returns>
    public static JobId JobIdOf(ParseResult parseResult, Argument<string> argument) => new(parseResult.GetRequiredValue(argument));

    /// <inheritdoc cref="IWeaverClient.GetStatusAsync"/>
    /// <exception cref="CliException">No job has that id (<see cref="ExitCodes.NotFound"/>).</exception>
    public Task<JobStatus> GetStatusAsync(JobId id, CancellationToken cancellationToken) =>
        Read(id, () => _coordinator.GetStatusAsync(id, cancellationToken));

    /// <inheritdoc cref="IWeaverClient.ExplainAsync"/>
    /// <exception cref="CliException">No job has that id (<see cref="ExitCodes.NotFound"/>).</exception>
    public Task<JobExplanation> ExplainAsync(JobId id, CancellationToken cancellationToken) =>
        Read(id, () => _coordinator.ExplainAsync(id, cancellationToken));

    public void Dispose() => _coordinator.Dispose();

    private async Task<T> Read<T>(JobId id, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (JobNotFoundException)
        {
            throw CliException.NotFound(
                $"No job '{id}' in {_context.Location.Description}. Run 'weaver jobs' (with the same store options) to list the job ids; "
                + "an id is the JobSpec.Id it was submitted with, or the id SubmitJobAsync returned.");
        }
    }
}
