using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Weaver.Generators.Tests.Infrastructure;
using Xunit;

namespace Weaver.Generators.Tests;

/// <summary>
/// The pages of the handler diagnostics (<c>docs/diagnostics/WVR0020.md</c>–<c>WVR0029.md</c>) say what the generator
/// does: each non-compliant example reports exactly the messages its page quotes, and each compliant example
/// compiles, generated code included, without a diagnostic.
/// </summary>
public sealed partial class HandlerDocsTests
{
    public static TheoryData<string> Pages => new(Diagnostics.HandlerDiagnostics.All.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Pages))]
    public void Non_compliant_example_reports_the_quoted_messages(string id)
    {
        var section = Section(id, "Non-compliant");
        var quoted = QuotedMessage().Matches(section).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(quoted);

        var (generator, _) = Run(FirstCSharpBlock(section), LanguageVersionFor(id));

        var reported = generator.Select(d => $"{d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(quoted, reported);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Compliant_example_compiles_cleanly(string id)
    {
        var compliant = Section(id, "Compliant");
        var source = compliant.Contains("```csharp", StringComparison.Ordinal)
            ? FirstCSharpBlock(compliant)
            : FirstCSharpBlock(Section(id, "Non-compliant")); // a page whose fix is a project setting
        var (generator, compilation) = Run(source, LanguageVersion.Latest);

        Assert.Empty(generator);
        Assert.DoesNotContain(compilation, d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void WVR0023_example_also_has_the_compilers_CS0182()
    {
        var (_, compilation) = Run(FirstCSharpBlock(Section("WVR0023", "Non-compliant")), LanguageVersion.Latest);

        Assert.Contains(compilation, d => d.Id == "CS0182");
    }

    [Fact]
    public void Naming_the_Registration_of_a_handler_that_is_not_registered_is_CS0117()
    {
        var source = FirstCSharpBlock(Section("WVR0022", "Non-compliant")) + "\npublic static class Use { public static object R => ExportHandler.Registration; }\n";
        var (_, compilation) = Run(source, LanguageVersion.Latest);

        Assert.Contains(compilation, d => d.Id == "CS0117");
    }

    private static (List<Diagnostic> Generator, List<Diagnostic> Compilation) Run(string source, LanguageVersion languageVersion)
    {
        var parseOptions = new CSharpParseOptions(languageVersion);
        var compilation = Compilations.Create().AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, parseOptions, path: "Example.cs"));
        var driver = CSharpGeneratorDriver.Create(new[] { new TaskMachineGenerator().AsSourceGenerator() }, parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (diagnostics.ToList(), output.GetDiagnostics().ToList());
    }

    private static LanguageVersion LanguageVersionFor(string id) => id == "WVR0027" ? LanguageVersion.CSharp8 : LanguageVersion.Latest;

    private static string Section(string id, string heading)
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = page.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{id}.md has no '## {heading}' section");
        var end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    private static string FirstCSharpBlock(string section)
    {
        var match = CSharpBlock().Match(section);
        Assert.True(match.Success, "no ```csharp block in:\n" + section);
        return match.Groups[1].Value;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weaver.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weaver.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`(WVR[0-9]{4}: [^`]*)`")]
    private static partial Regex QuotedMessage();

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
