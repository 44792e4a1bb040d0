using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Weaver.Generators.Tests.Infrastructure;

/// <summary>
/// The Roslyn SDK's generator test, set up like a Weaver user's project: the net10.0 framework and the Weaver
/// runtime. It checks the generated sources and every diagnostic (compiler and generator) exactly.
/// </summary>
/// <remarks>
/// The framework comes from the running runtime rather than a downloaded reference pack, so the tests need no
/// network and no package the registry may lack.
/// </remarks>
internal sealed class GeneratorTest : CSharpSourceGeneratorTest<TaskMachineGenerator, DefaultVerifier>
{
    private readonly Microsoft.CodeAnalysis.CSharp.LanguageVersion _languageVersion;

    public GeneratorTest(
        Microsoft.CodeAnalysis.CSharp.LanguageVersion languageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest, bool withServices = false)
    {
        _languageVersion = languageVersion;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(Compilations.References);
        if (withServices)
        {
            TestState.AdditionalReferences.Add(Compilations.Services);
        }
    }

    protected override Microsoft.CodeAnalysis.CompilationOptions CreateCompilationOptions() =>
        ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)base.CreateCompilationOptions())
            .WithNullableContextOptions(Microsoft.CodeAnalysis.NullableContextOptions.Enable);

    protected override Microsoft.CodeAnalysis.ParseOptions CreateParseOptions() =>
        ((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)base.CreateParseOptions())
            .WithLanguageVersion(_languageVersion);
}
