using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Weaver.Analyzers.Infrastructure;
using Weaver.Generators;

namespace Weaver.Benchmarks.Compiler;

/// <summary>
/// A user's project with many task machines, as source: per machine one file with a six-state <c>[TaskMachine]</c>
/// and a worker class of ten hand-written methods that take locks, await and switch over the machine's states (the
/// same probe <c>benchmarks/AnalyzerCost/measure.sh</c> builds with <c>dotnet build</c>), compiled the way a net10.0
/// project with implicit usings compiles.
/// </summary>
public static class ProbeProject
{
    /// <summary>The project's root namespace (where the generator puts <c>WeaverHandlers</c>).</summary>
    public const string RootNamespace = "CostProbe";

    /// <summary>The parse options: C# latest.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>The project-wide options the SDK passes to generators and analyzers (only the root namespace is set).</summary>
    public static AnalyzerConfigOptionsProvider Options { get; } = new RootNamespaceOptions();

    /// <summary>Every analyzer the Weaver package ships: each concrete <c>[DiagnosticAnalyzer]</c> type of Weaver.Analyzers.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(WeaverAnalyzer).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    /// <summary>A new driver of Weaver's generator, with the project's parse options and root namespace.</summary>
    /// <returns>The driver, which has run nothing yet.</returns>
    public static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new TaskMachineGenerator().AsSourceGenerator()], parseOptions: ParseOptions, optionsProvider: Options);

    /// <summary>The compilation of <paramref name="machines"/> machine files, before the generator runs.</summary>
    /// <param name="machines">How many machines (and worker classes); at least 1.</param>
    /// <returns>The compilation.</returns>
    public static CSharpCompilation Create(int machines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machines, 1);
        var trees = Enumerable.Range(1, machines)
            .Select(i => CSharpSyntaxTree.ParseText(MachineFile(i), ParseOptions, path: $"Machine{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "GlobalUsings.g.cs"));
        return CSharpCompilation.Create(
            "CostProbe",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The file of machine <paramref name="i"/>: the machine and its worker class.</summary>
    /// <param name="i">The machine's number.</param>
    /// <param name="edit">A variant of the file with one worker method's body changed (an edit that changes no declaration).</param>
    /// <returns>The C# source.</returns>
    public static string MachineFile(int i, bool edit = false) => Template
        .Replace("$i", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("$step", edit ? "2" : "1", StringComparison.Ordinal);

    /// <summary>What the project compiles against: the running framework's assemblies and the Weaver runtime.</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(TaskMachineAttribute).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private const string Template = """
        using Weaver;

        namespace CostProbe;

        [TaskMachine]
        public partial class Job$i
        {
            public enum State { [Initial] Queued, Running, Waiting, [Terminal] Succeeded, [Terminal] Dead, [Terminal] Cancelled }

            [Transition(State.Queued, State.Running)] public partial bool TryStart();
            [Transition(State.Running, State.Waiting)] public partial bool TryPause(string reason);
            [Transition(State.Waiting, State.Running)] public partial bool TryResume();
            [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
            [Transition(State.Running, State.Dead)] [Transition(State.Waiting, State.Dead)] public partial bool TryKill(string reason);
            [Transition(State.Queued, State.Cancelled)] [Transition(State.Running, State.Cancelled)] [Transition(State.Waiting, State.Cancelled)] public partial bool TryCancel();
        }

        public sealed class Worker$i
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _async = new(1, 1);
            private readonly ReaderWriterLockSlim _rw = new();
            private readonly Job$i _job = new();
            private int _count;

            public async Task<int> Method1Async()
            {
                Monitor.Enter(_gate);
                try { _count += $step; } finally { Monitor.Exit(_gate); }
                await Task.Yield();
                return _count;
            }

            public async Task<int> Method2Async()
            {
                await _async.WaitAsync();
                try { await Task.Yield(); return ++_count; } finally { _async.Release(); }
            }

            public string Method3() => _job.Current switch
            {
                Job$i.State.Succeeded => "ok",
                Job$i.State.Dead => "dead",
                Job$i.State.Cancelled => "cancelled",
                _ => "running",
            };

            public bool Method4() => _job.TryStart() && _job.TryPause("wait") && _job.TryResume();

            public async Task<int> Method5Async(bool fast)
            {
                if (!Monitor.TryEnter(_gate)) { await Task.Yield(); return 0; }
                try { return _count; } finally { Monitor.Exit(_gate); }
            }

            public int Method6()
            {
                _rw.EnterReadLock();
                try { return _count; } finally { _rw.ExitReadLock(); }
            }

            public void Method7()
            {
                switch (_job.Current)
                {
                    case Job$i.State.Queued: case Job$i.State.Running: case Job$i.State.Waiting: break;
                    case Job$i.State.Succeeded: case Job$i.State.Dead: case Job$i.State.Cancelled: _count = 0; break;
                }
            }

            public async Task Method8Async()
            {
                lock (_gate) { _count++; }
                await Task.Delay(0);
            }

            public async Task<int> Method9Async(int n)
            {
                var total = 0;
                for (var k = 0; k < n; k++)
                {
                    Monitor.Enter(_gate);
                    total += _count;
                    Monitor.Exit(_gate);
                    await Task.Yield();
                }

                return total;
            }

            public bool Method10() => _job.TrySucceed() || _job.TryKill("late") || _job.TryCancel();
        }
        """;

    /// <summary>Project-wide options as the SDK passes them, with only <c>build_property.RootNamespace</c> set.</summary>
    private sealed class RootNamespaceOptions : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(RootNamespace);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

        private sealed class Values(string? rootNamespace) : AnalyzerConfigOptions
        {
            public static Values Empty { get; } = new(null);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            {
                value = key == "build_property.RootNamespace" ? rootNamespace : null;
                return value is not null;
            }
        }
    }
}
