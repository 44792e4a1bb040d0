using System.Text;

namespace Weaver.Generators.Emitting;

/// <summary>Writes C# source line by line with four-space indentation and <c>\n</c> line endings.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _depth--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
