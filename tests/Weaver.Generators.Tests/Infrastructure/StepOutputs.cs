using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Weaver.Generators.Tests.Infrastructure;

/// <summary>What the caching tests of every pipeline share: edits to a compilation, and the check of step outputs.</summary>
internal static class StepOutputs
{
    /// <summary>Fails when <paramref name="value"/>'s object graph holds a symbol, syntax, location or compilation.</summary>
    public static void AssertHoldsNoCompilerObjects(object value) =>
        AssertHoldsNoCompilerObjects(value, value.GetType().Name, new HashSet<object>(ReferenceEqualityComparer.Instance));

    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, Compilations.ParseOptions, path);

    public static CSharpCompilation Replace(CSharpCompilation compilation, string path, string source) =>
        compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == path), Parse(source, path));

    private static void AssertHoldsNoCompilerObjects(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location,
            $"{path} holds a {value.GetType().Name}");

        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                AssertHoldsNoCompilerObjects(item, $"{path}[{i++}]", visited);
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoCompilerObjects(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }
}
