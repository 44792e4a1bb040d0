using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>What a Weaver user's net10.0 project compiles against: the running framework and the Weaver runtime.</summary>
/// <remarks>Taken from the running runtime rather than a downloaded reference pack: no network needed.</remarks>
internal static class WeaverReferences
{
    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll"
                || Path.GetFileName(path).StartsWith("Microsoft.Extensions.Logging.Abstractions", StringComparison.Ordinal))
            .Append(typeof(TaskMachineAttribute).Assembly.Location)
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    /// <summary>The libraries the samples use besides Weaver: the durable stores and Spectre.Console.</summary>
    public static ImmutableArray<MetadataReference> SampleLibraries { get; } =
    [
        .. new[] { typeof(Sqlite.SqliteWeaverStore), typeof(PostgreSql.PostgreSqlWeaverStore), typeof(Npgsql.NpgsqlConnection), typeof(Spectre.Console.AnsiConsole), typeof(Spectre.Console.Style) }
            .Select(type => (MetadataReference)MetadataReference.CreateFromFile(type.Assembly.Location)),
    ];
}
