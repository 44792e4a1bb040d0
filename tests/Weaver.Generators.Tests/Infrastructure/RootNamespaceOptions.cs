using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Weaver.Generators.Tests.Infrastructure;

/// <summary>Project-wide options as the SDK passes them, with only <c>build_property.RootNamespace</c> set.</summary>
internal sealed class RootNamespaceOptions(string rootNamespace) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(rootNamespace);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(string? rootNamespace) : AnalyzerConfigOptions
    {
        public static Options Empty { get; } = new(null);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = key == "build_property.RootNamespace" ? rootNamespace : null;
            return value is not null;
        }
    }
}
