using Microsoft.CodeAnalysis;
using Weaver.Analyzers.Tests.Infrastructure;

namespace Weaver.Analyzers.Tests.Declarations;

/// <summary>
/// Issue 3, rule 4: each declaration error keeps one ID whichever component reports it, and is never reported twice.
/// The generator owns WVR0001–WVR0099; no analyzer declares one of them, and with the generator and every analyzer
/// running, each broken declaration gets its diagnostic exactly once.
/// </summary>
public sealed class DeclarationErrorsReportedOnceTests
{
    [Fact]
    public void No_analyzer_declares_a_declaration_error_ID()
    {
        var ids = WeaverCompilation.AllAnalyzers.SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(d => d.Id).ToList();

        Assert.All(ids, id => Assert.True(string.CompareOrdinal(id, "WVR0100") >= 0, $"{id} is in the generator's declaration range."));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("WVR0001", "public class Broken", "[Transition(State.A, State.Done)] public partial bool TryFinish();")]
    [InlineData("WVR0006", "public partial class Broken", "[Transition(State.A, State.Done)] public partial bool TryFinish();", "[Initial] B,")]
    [InlineData("WVR0007", "public partial class Broken", "[Transition(State.A, State.B)] public partial bool TryFinish();", "B,", "")]
    [InlineData("WVR0008", "public partial class Broken", "[Transition(State.A, State.Done)] public partial void TryFinish();")]
    [InlineData("WVR0010", "public partial class Broken", "[Transition(State.A, State.Done, Guard = \"Missing\")] public partial bool TryFinish();")]
    [InlineData("WVR0011", "public partial class Broken", "[Transition(State.A, State.Done, Guard = nameof(Ready))] public partial bool TryFinish(); private int Ready() => 1;")]
    [InlineData("WVR0012", "public partial class Broken", "[Transition(State.A, State.Done)] [Transition(State.A, State.Done)] public partial bool TryFinish();")]
    public async Task A_declaration_error_is_reported_once_with_every_component_running(
        string id, string declaration, string members, string extraState = "B,", string terminal = "[Terminal] ")
    {
        var source = $$"""
            using Weaver;

            [TaskMachine]
            {{declaration}}
            {
                public enum State { [Initial] A, {{extraState}} {{terminal}}Done }

                {{members}}
            }
            """;

        var diagnostics = await WeaverCompilation.DiagnosticsAsync([("Broken.cs", source)], "Checks", OutputKind.DynamicallyLinkedLibrary, referenceWeaver: true);

        var weaver = diagnostics.Where(d => d.Id.StartsWith("WVR", StringComparison.Ordinal)).ToList();
        Assert.True(weaver.Count(d => d.Id == id) == 1, string.Join(Environment.NewLine, weaver));
        Assert.Equal(weaver.Count, weaver.Select(d => (d.Id, d.Location.SourceSpan)).Distinct().Count());
    }
}
