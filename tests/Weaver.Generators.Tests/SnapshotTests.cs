using Microsoft.CodeAnalysis;
using Xunit;
using Weaver.Generators.Tests.Infrastructure;

namespace Weaver.Generators.Tests;

/// <summary>
/// The generated source of representative machines, compared character for character with the files in
/// <c>Snapshots/</c>, and compiled with every compiler diagnostic checked (there must be none).
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("ReviewTask", "Demo.ReviewTask.TaskMachine.g.cs")]
    [InlineData("LeaseRecord", "LeaseRecord.TaskMachine.g.cs")]
    [InlineData("CompilerStep", "Build.Pipeline.Stages.Holder_1.CompilerStep_1_6743170f.TaskMachine.g.cs")]
    public async Task Generated_source_matches_its_snapshot(string name, string hintName)
    {
        var input = Snapshots.Read(name + ".input.cs");
        var expectedFile = name + ".verified.cs";
        if (Snapshots.Updating)
        {
            Snapshots.Write(expectedFile, GenerateWithDriver(input, hintName));
            return;
        }

        var test = new GeneratorTest();
        test.TestState.Sources.Add(input);
        test.TestState.GeneratedSources.Add((typeof(TaskMachineGenerator), hintName, Snapshots.Read(expectedFile)));
        await test.RunAsync();
    }

    private static string GenerateWithDriver(string input, string hintName)
    {
        var result = Compilations.Driver().RunGenerators(Compilations.Create(input)).GetRunResult();
        var tree = result.GeneratedTrees.SingleOrDefault(t => t.FilePath.EndsWith(hintName, StringComparison.Ordinal));
        Assert.True(tree is not null, $"No {hintName}; generator diagnostics: {string.Join("; ", result.Diagnostics)}");
        return tree.GetText().ToString();
    }
}
