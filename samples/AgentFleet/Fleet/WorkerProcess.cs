using System.Runtime.InteropServices;
using AgentFleet.Agents;
using Weaver;

namespace AgentFleet.Fleet;

/// <summary>
/// The <c>worker</c> command: one agent in a process of its own, on the store the driver names, until the driver closes
/// its standard input (or the driver dies, which closes it too), SIGTERM or Ctrl+C.
/// </summary>
public static class WorkerProcess
{
    /// <summary>Runs the agent.</summary>
    /// <param name="options">The worker's options.</param>
    /// <returns>The exit code: 0 stopped gracefully, 3 the store could not be opened.</returns>
    public static async Task<int> RunAsync(FleetOptions options)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        if (options.WatchStdin)
        {
            _ = Task.Run(async () =>
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[64];
                while (await input.ReadAsync(buffer) > 0)
                {
                }

                stop.TrySetResult();
            });
        }

        var handlers = WeaverHandlers.RegisterAll(new HandlerRegistry());
        if (await FleetStore.OpenOrReportAsync(options, handlers) is not { } store)
        {
            return 3;
        }

        await using (store)
        {
            var name = options.Name!;
            Workbench.Register(name, TimeProvider.System);
            var group = new WorkerGroup(store, handlers, InProcessAgent.Options(name, TimeProvider.System, new ArtifactStore(options.ArtifactsPath)));
            group.Start();
            Console.WriteLine(ProcessAgent.ReadyLine);
            await stop.Task;
            await group.StopAsync(TimeSpan.FromSeconds(5));
            await group.DisposeAsync();
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop gracefully, above
            stop.TrySetResult();
        }
    }
}
