using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Weaver.Benchmarks.Tests;

/// <summary>
/// Issue 9, point 6: the benchmark program's <c>--smoke</c> mode runs every benchmark once and exits 0, and its
/// report names a result (a mean) for every case the suite declares. It proves that each benchmark executes; it
/// judges no speed. The PostgreSQL benchmarks may be left out, each with its reason, only where no PostgreSQL server can
/// be had and CI is not set (as the store tests are skipped); under <c>CI=true</c> they must run.
/// </summary>
public sealed class SmokeRunTests(ITestOutputHelper output)
{
    /// <summary>Long enough for a loaded 2-core machine; the run takes about a minute on a quiet one.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(8);

    [Fact]
    public void Smoke_mode_runs_every_benchmark_once_and_each_reports_a_result()
    {
        var artifacts = Directory.CreateTempSubdirectory("weaver-bench-smoke-");
        try
        {
            var program = Path.Combine(AppContext.BaseDirectory, "Weaver.Benchmarks.dll");
            var run = Dotnet([program, "--smoke", "--artifacts", artifacts.FullName], AppContext.BaseDirectory);
            output.WriteLine($"The smoke run took {run.Elapsed.TotalSeconds:F0} s.");

            Assert.True(run.ExitCode == 0, $"The smoke run exited {run.ExitCode}.\n{run.Output}");
            var skipped = SkippedClasses(run.Output);
            foreach (var (benchmarkClass, reason) in skipped)
            {
                output.WriteLine($"Skipped {benchmarkClass}: {reason}");
                var type = typeof(Program).Assembly.GetType(benchmarkClass);
                Assert.True(type?.IsDefined(typeof(RequiresPostgreSqlAttribute), inherit: false) == true, $"{benchmarkClass} was skipped, but it needs no PostgreSQL server.");
                Assert.True(BenchmarkPostgres.SkipReason is not null, $"{benchmarkClass} was skipped, though a PostgreSQL server can be had here (or CI=true).");
            }

            var expected = BenchmarkCases.Expected().Where(c => !skipped.ContainsKey(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            Assert.NotEmpty(expected);
            var total = expected.Values.Sum();
            Assert.Contains($"{total} of {total} benchmarks reported a result.", run.Output, StringComparison.Ordinal);

            foreach (var (benchmarkClass, cases) in expected)
            {
                var report = Path.Combine(artifacts.FullName, "results", benchmarkClass + "-report.csv");
                Assert.True(File.Exists(report), $"{benchmarkClass} wrote no report at {report}.\n{run.Output}");
                var rows = Csv.Read(report);
                Assert.True(rows.Count == cases, $"{benchmarkClass} reported {rows.Count} cases; it declares {cases}.");
                foreach (var row in rows)
                {
                    Assert.True(
                        row.TryGetValue("Mean", out var mean) && mean.Length > 0 && mean != "NA",
                        $"{benchmarkClass}.{row["Method"]} reported no mean ('{mean}').");
                }
            }
        }
        finally
        {
            artifacts.Delete(recursive: true);
        }
    }

    /// <summary>The classes the program left out (<c>Skipped {class}: {why}</c> lines), with the reason it gave.</summary>
    private static Dictionary<string, string> SkippedClasses(string runOutput) => runOutput
        .Split('\n')
        .Select(line => line.TrimEnd('\r'))
        .Where(line => line.StartsWith(Program.SkippedPrefix, StringComparison.Ordinal) && line.Contains(": ", StringComparison.Ordinal))
        .Select(line => line[Program.SkippedPrefix.Length..].Split(": ", 2))
        .Where(parts => parts[0].StartsWith(typeof(Program).Namespace + ".", StringComparison.Ordinal))
        .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    private static (int ExitCode, string Output, TimeSpan Elapsed) Dotnet(IEnumerable<string> arguments, string workingDirectory)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var startInfo = new ProcessStartInfo(!string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var text = new StringBuilder();
        var gate = new object();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        var started = TimeProvider.System.GetTimestamp();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (gate)
            {
                throw new TimeoutException($"The smoke run did not finish within {Deadline} and was killed. Output so far:\n{text}");
            }
        }

        process.WaitForExit(); // drains the redirected streams
        lock (gate)
        {
            return (process.ExitCode, text.ToString(), TimeProvider.System.GetElapsedTime(started));
        }

        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                text.AppendLine(line);
            }
        }
    }
}
