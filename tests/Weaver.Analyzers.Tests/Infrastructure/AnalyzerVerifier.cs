using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Weaver.Generators;

namespace Weaver.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs an analyzer the way a Weaver user's project does: net10.0, C# latest, nullable on, the Weaver runtime
/// referenced and Weaver's generator running, so machines in the test source compile. Every diagnostic, the
/// compiler's included, must be listed in the expectations (markup <c>{|WVR0100:...|}</c> or <c>[|...|]</c>).
/// </summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>An expected diagnostic of the analyzer, at its default severity.</summary>
    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, editorConfig: null, expected);

    public static async Task VerifyAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test() => WeaverTestSetup.Apply(this);

        protected override IEnumerable<Type> GetSourceGenerators() => WeaverTestSetup.SourceGenerators;

        protected override CompilationOptions CreateCompilationOptions() => WeaverTestSetup.Options(base.CreateCompilationOptions());

        protected override ParseOptions CreateParseOptions() => WeaverTestSetup.Options(base.CreateParseOptions());
    }
}

/// <summary>Runs a code fix like <see cref="AnalyzerVerifier{TAnalyzer}"/> runs an analyzer, Fix All included.</summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>
    /// Applies the fix to every diagnostic one at a time, then with Fix All in the document, the project and the
    /// solution, and checks that each way reaches <paramref name="fixedSource"/>.
    /// </summary>
    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected) =>
        VerifyAsync([source], [fixedSource], expected);

    /// <summary>As above, over several documents of one project (Fix All then spans them).</summary>
    public static async Task VerifyAsync(string[] sources, string[] fixedSources, params DiagnosticResult[] expected)
    {
        var test = new Test();
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        foreach (var fixedSource in fixedSources)
        {
            test.FixedState.Sources.Add(fixedSource);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test() => WeaverTestSetup.Apply(this);

        protected override IEnumerable<Type> GetSourceGenerators() => WeaverTestSetup.SourceGenerators;

        protected override CompilationOptions CreateCompilationOptions() => WeaverTestSetup.Options(base.CreateCompilationOptions());

        protected override ParseOptions CreateParseOptions() => WeaverTestSetup.Options(base.CreateParseOptions());
    }
}

file static class WeaverTestSetup
{
    public static readonly Type[] SourceGenerators = [typeof(TaskMachineGenerator)];

    public static void Apply(AnalyzerTest<DefaultVerifier> test)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(WeaverReferences.All);

        // The generator runs so that machines compile; its output is the generator tests' business, not checked here.
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    public static CompilationOptions Options(CompilationOptions options) =>
        ((CSharpCompilationOptions)options).WithNullableContextOptions(NullableContextOptions.Enable);

    public static ParseOptions Options(ParseOptions options) =>
        ((CSharpParseOptions)options).WithLanguageVersion(LanguageVersion.Latest);
}
