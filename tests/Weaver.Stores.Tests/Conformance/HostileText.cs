using System.Globalization;
using System.Text;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>Text that breaks a store which splices text into SQL, or treats it as a pattern, an escape or a number.</summary>
public static class HostileText
{
    /// <summary>
    /// Quotes, SQL comments and statements, placeholders of every driver, LIKE wildcards, backslashes, control characters
    /// (never NUL, which PostgreSQL text cannot hold), emoji and combining marks, right-to-left overrides, and long text.
    /// Identifiers stay under a kilobyte or two, so they fit a database index entry.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "'",
        "\"",
        "''",
        "'; DROP TABLE x; --",
        "\"; DROP TABLE tasks; --",
        "Robert'); DELETE FROM tasks WHERE ('1'='1",
        "' OR '1'='1",
        "$1",
        "$$",
        "$tag$ x $tag$",
        "@id",
        ":name",
        "?",
        "%",
        "_",
        "%_%",
        "\\",
        "\\'",
        "\\\\",
        "\\0",
        "\\x00",
        "/* comment */",
        "-- comment",
        "\t\r\n",
        "\u0001\u001f\u007f",
        "\u2028\u2029",
        "🧵🔥👩‍💻",
        "\uFEFF",
        "ＡＢＣ",
        "İıß",
        "a\u0301",
        "\u202Eevil",
        "{}",
        "null",
        new string('x', 1000) + "'",
        string.Concat(Enumerable.Repeat("é'🧵%_\\", 150)),
    ];

    /// <summary>The text as a JSON document that holds it in a string, escaping only what JSON requires (non-ASCII stays as is).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The document, such as <c>{"text":"it's"}</c>.</returns>
    public static string Json(string text)
    {
        var json = new StringBuilder("{\"text\":\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                < ' ' => json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => json.Append(c),
            };
        }

        return json.Append("\"}").ToString();
    }
}
