using Weaver.Cli;

return await WeaverCommandLine.RunAsync(args, CliEnvironment.FromProcess()).ConfigureAwait(false);
