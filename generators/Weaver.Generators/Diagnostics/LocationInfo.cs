using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Weaver.Generators.Diagnostics;

/// <summary>A source location as plain values (file and span), so that it can live in a cached pipeline step.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }

    /// <summary>
    /// The location in <paramref name="compilation"/>'s own syntax tree, so that <c>#pragma warning disable</c> and
    /// <c>.editorconfig</c> severities apply to the diagnostic; a bare file-and-span location if the tree is gone.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
        return tree is not null && TextSpan.End <= tree.Length
            ? Location.Create(tree, TextSpan)
            : Location.Create(FilePath, TextSpan, LineSpan);
    }
}
