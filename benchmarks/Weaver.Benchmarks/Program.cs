using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Weaver.Benchmarks;

/// <summary>
/// Runs the suite through BenchmarkDotNet's command line (<c>--filter</c>, <c>--job</c>, <c>--artifacts</c>, ...). With
/// <c>--smoke</c> it runs every benchmark once, in this process, with no warm-up: proof that each one executes, not a
/// measurement. Benchmark classes that need a PostgreSQL server are left out, each named with the reason, when there is
/// none (not under <c>CI=true</c>, where they run and fail). Either way the exit code is 0 only if every benchmark that
/// ran reported a result. With <c>--analyzer-times</c> alone it prints each Weaver analyzer's own time on the probe
/// project (<see cref="Compiler.AnalyzerTimes"/>).
/// </summary>
public static class Program
{
    /// <summary>The option that selects the smoke run.</summary>
    public const string SmokeOption = "--smoke";

    /// <summary>How the line that names a benchmark class left out of the run starts.</summary>
    public const string SkippedPrefix = "Skipped ";

    /// <summary>
    /// Whether this process runs the smoke job. Benchmarks whose size is a parameter (not a per-operation count) run a
    /// smaller size then; it is false in the processes BenchmarkDotNet starts for a real run.
    /// </summary>
    public static bool IsSmoke { get; private set; }

    /// <summary>Runs the benchmarks.</summary>
    /// <param name="args">BenchmarkDotNet's options, and optionally <c>--smoke</c>.</param>
    /// <returns>0 when every benchmark reported a result; 1 otherwise; 2 when nothing ran.</returns>
    public static int Main(string[] args)
    {
        if (args is [Compiler.AnalyzerTimes.Option])
        {
            return Compiler.AnalyzerTimes.RunAsync(Console.Out).GetAwaiter().GetResult();
        }

        var smoke = IsSmoke = args.Contains(SmokeOption, StringComparer.Ordinal);
        var options = args.Where(arg => !string.Equals(arg, SmokeOption, StringComparison.Ordinal)).ToArray();
        if (smoke && !options.Contains("--filter", StringComparer.Ordinal))
        {
            options = [.. options, "--filter", "*"];
        }

        var runnable = RunnableBenchmarkClasses(Console.Out);
        try
        {
            var summaries = BenchmarkSwitcher.FromTypes(runnable).Run(options, smoke ? SmokeConfig() : FullConfig()).ToList();
            return Verdict(summaries, Console.Out);
        }
        finally
        {
            Stores.BenchmarkPostgres.StopAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The benchmark classes that can run on this machine: all of them, less those marked
    /// <see cref="Stores.RequiresPostgreSqlAttribute"/> when there is no PostgreSQL server, each of which is named on
    /// <paramref name="output"/> as <c>Skipped {class}: {why}</c>.
    /// </summary>
    /// <param name="output">Where to say what is skipped.</param>
    /// <returns>The classes.</returns>
    public static Type[] RunnableBenchmarkClasses(TextWriter output)
    {
        var classes = typeof(Program).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false, IsPublic: true } && type.GetMethods().Any(method => method.IsDefined(typeof(BenchmarkAttribute), inherit: false)))
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .ToList();
        if (Stores.BenchmarkPostgres.SkipReason is { } reason)
        {
            foreach (var type in classes.Where(type => type.IsDefined(typeof(Stores.RequiresPostgreSqlAttribute), inherit: false)).ToList())
            {
                output.WriteLine($"{SkippedPrefix}{type.FullName}: {reason}");
                classes.Remove(type);
            }
        }

        return [.. classes];
    }

    /// <summary>
    /// BenchmarkDotNet's defaults (each benchmark in its own process, built from this project), with a build timeout
    /// long enough for a busy 2-core machine: the boilerplate build recompiles Weaver, its generator and analyzers.
    /// </summary>
    /// <returns>The configuration.</returns>
    public static IConfig FullConfig() => ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));

    /// <summary>
    /// One invocation of each benchmark in this process, without warm-up or pilot (<see cref="Job.Dry"/>), and without
    /// the check that the code is optimized, so a Debug build (as <c>dotnet test</c> makes) runs too.
    /// </summary>
    /// <returns>The configuration.</returns>
    public static IConfig SmokeConfig() => ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);

    /// <summary>Writes how many benchmarks reported a result, names those that did not, and returns the exit code.</summary>
    /// <param name="summaries">The run's summaries.</param>
    /// <param name="output">Where to write.</param>
    /// <returns>0 when every benchmark reported a result; 1 otherwise; 2 when nothing ran.</returns>
    public static int Verdict(IReadOnlyList<Summary> summaries, TextWriter output)
    {
        var cases = summaries.SelectMany(summary => summary.BenchmarksCases.Select(c => (Case: c, Report: summary[c]))).ToList();
        if (cases.Count == 0)
        {
            output.WriteLine("No benchmark ran: the filter matched none, or the run was stopped before it started.");
            return 2;
        }

        var missing = cases.Where(c => c.Report?.ResultStatistics is null).Select(c => c.Case.DisplayInfo).ToList();
        var invalid = summaries.Where(summary => summary.HasCriticalValidationErrors).Select(summary => summary.Title).ToList();
        foreach (var name in missing)
        {
            output.WriteLine($"No result: {name}");
        }

        foreach (var title in invalid)
        {
            output.WriteLine($"Critical validation errors: {title}");
        }

        output.WriteLine($"{cases.Count - missing.Count} of {cases.Count} benchmarks reported a result.");
        return missing.Count == 0 && invalid.Count == 0 ? 0 : 1;
    }
}
