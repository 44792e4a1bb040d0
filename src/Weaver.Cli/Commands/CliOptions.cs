using System.CommandLine;
using Weaver.Cli.Stores;

namespace Weaver.Cli.Commands;

/// <summary>The options every command takes: the store (<see cref="StoreOptions"/>) and <c>--json</c>.</summary>
internal sealed class CliOptions
{
    public StoreOptions Store { get; } = new();

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document (camelCase; states and enums by name; times in ISO 8601 UTC) instead of tables.",
        Recursive = true,
    };

    /// <summary>The options, to add to the root command.</summary>
    public IEnumerable<Option> All => [.. Store.All, Json];
}
