using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Tests.Infrastructure;

namespace Weaver.Analyzers.Tests;

/// <summary>
/// Every analyzer rule is documented and tracked the same way: an ID in the analyzers' range, a help link to its
/// page, the page itself, a row in the diagnostics index and in the release-tracking file, and a message that says
/// what to do.
/// </summary>
public sealed class AnalyzerCatalogTests
{
    public static TheoryData<string> RuleIds() =>
        new(WeaverCompilation.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Each_rule_has_its_page_its_index_row_and_its_release_entry(string id)
    {
        var descriptor = WeaverCompilation.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id);
        var page = Path.Combine(RepositoryFiles.Root, "docs", "diagnostics", id + ".md");
        var index = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "diagnostics", "README.md"));
        var releases = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "analyzers", "Weaver.Analyzers", "AnalyzerReleases.Unshipped.md"));

        Assert.Matches("^WVR01[0-9]{2}$", id);
        Assert.StartsWith("Weaver.", descriptor.Category, StringComparison.Ordinal);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.EndsWith($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.True(File.Exists(page), $"{id} has no page at {page}.");
        Assert.StartsWith($"# {id}: {descriptor.Title}", File.ReadAllText(page), StringComparison.Ordinal);
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.Title} | {descriptor.DefaultSeverity} |", index, StringComparison.Ordinal);
        Assert.Contains(releases, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rule_is_a_warning_a_user_can_configure()
    {
        Assert.All(
            WeaverCompilation.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics),
            d => Assert.Equal(DiagnosticSeverity.Warning, d.DefaultSeverity));
    }
}
