using System.Runtime.InteropServices;
using Weaver;
using Weaver.PostgreSql;
using Weaver.Sqlite;
using Weaver.Stores.Worker;

// The store test worker: one WorkerGroup on a shared SQLite or PostgreSQL store, until SIGTERM or Ctrl+C.
// Exit codes: 0 stopped gracefully, 2 bad arguments, 3 the store could not be opened.
WorkerArguments arguments;
try
{
    arguments = WorkerArguments.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(WorkerArguments.Usage);
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var loggers = new StderrLoggerFactory(arguments.Name, TimeProvider.System);

if (arguments.StopWhenStdinEnds)
{
    _ = Task.Run(async () =>
    {
        // Reads until the end of the pipe; what the parent writes (nothing) is ignored.
        using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await input.ReadAsync(buffer) > 0)
        {
        }

        stop.TrySetResult();
    });
}

IWeaverStore opened;
try
{
    opened = await OpenAsync(arguments, loggers);
}
catch (Exception error) when (error is not OutOfMemoryException)
{
    Console.Error.WriteLine($"error: the {arguments.Store} store at '{arguments.Connection}' could not be opened: {error.GetType().Name}: {error.Message}");
    return 3;
}

await using (var store = new ReportingStore(opened))
{
    WorkHandler.WorkTime = arguments.WorkTime;
    var handlers = WeaverHandlers.RegisterAll(new HandlerRegistry());
    var options = new WorkerGroupOptions
    {
        Concurrency = arguments.Concurrency,
        Name = arguments.Name,
        IdleWait = arguments.IdleWait,

        // Source-generated, as an application compiled ahead of time passes them.
        Json = WorkerJson.Default.Options,
    };
    var group = new WorkerGroup(store, handlers, options, loggers);
    group.Start();
    Report.Write(WorkerProtocol.Ready, arguments.Name, Environment.ProcessId);
    await stop.Task;
    await group.StopAsync(TimeSpan.FromSeconds(10));
    await group.DisposeAsync();
}

Report.Write(WorkerProtocol.Stopped, arguments.Name);
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // stop gracefully, below, rather than end the process now
    stop.TrySetResult();
}

static async Task<IWeaverStore> OpenAsync(WorkerArguments arguments, StderrLoggerFactory loggers) => arguments.Store switch
{
    "sqlite" => await SqliteWeaverStore.OpenAsync(new SqliteStoreOptions
    {
        Path = arguments.Connection,
        Leases = arguments.Leases,
        PollInterval = arguments.IdleWait,
        LoggerFactory = loggers,
    }),
    "postgres" => await PostgreSqlWeaverStore.OpenAsync(new PostgreSqlStoreOptions
    {
        ConnectionString = arguments.Connection,
        Leases = arguments.Leases,
        LoggerFactory = loggers,
    }),
    _ => throw new System.Diagnostics.UnreachableException($"WorkerArguments.Parse accepted the store '{arguments.Store}'."),
};
