using AgentFleet.Fleet;

// AgentFleet: a fleet of simulated coding agents works one job on a shared store. See FleetOptions.Usage.
FleetOptions options;
try
{
    options = FleetOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(FleetOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(FleetOptions.Usage);
    return 0;
}

return options.IsWorker ? await WorkerProcess.RunAsync(options) : await Driver.RunAsync(options);
