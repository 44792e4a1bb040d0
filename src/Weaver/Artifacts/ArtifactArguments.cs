using System.Globalization;
using System.Text;

namespace Weaver;

/// <summary>
/// The checks <see cref="ArtifactStore"/> makes on its inputs before it touches the disk. Each failure is an
/// <see cref="ArgumentException"/> that names the input, says what is wrong with it and what is allowed.
/// </summary>
internal static class ArtifactArguments
{
    /// <summary>The longest artifact name, in UTF-16 code units.</summary>
    public const int MaxNameLength = 255;

    private const string AllowedName =
        "allowed: a relative path of one or more segments separated by '/', such as 'logs/build.txt', " +
        "at most 255 characters, without '.' or '..' segments, empty segments, backslashes, " +
        "control characters, lone surrogates, a drive or a leading slash, and no segment ending in a dot or a space";

    private const string AllowedId = "allowed: any text that is not empty or white space, without control characters or lone surrogates";

    public static void Name(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (FindNameProblem(name) is { } problem)
        {
            throw new ArgumentException($"Artifact name '{Show(name)}' {problem}; {AllowedName}.", parameter);
        }
    }

    public static void Id(string id, string parameter, string what)
    {
        ArgumentNullException.ThrowIfNull(id, parameter);
        var problem = string.IsNullOrWhiteSpace(id) ? "is empty or white space"
            : id.Any(char.IsControl) ? "has a control character"
            : !IsWellFormed(id) ? "is not valid UTF-16 (it has a lone surrogate)"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"{what} '{Show(id)}' {problem}; {AllowedId}.", parameter);
        }
    }

    public static void Attempt(int attempt, string parameter)
    {
        if (attempt < 1)
        {
            throw new ArgumentOutOfRangeException(parameter, attempt, $"Attempt {attempt} is not a valid attempt number; allowed: 1 or more.");
        }
    }

    public static void ContentKind(ArtifactKind kind, string parameter)
    {
        if (kind == ArtifactKind.Url)
        {
            throw new ArgumentException("Kind Url has no content to store; use PutUrl for a link, or File, Stdout or Stderr for content.", parameter);
        }

        if (kind is not (ArtifactKind.File or ArtifactKind.Stdout or ArtifactKind.Stderr))
        {
            throw new ArgumentOutOfRangeException(parameter, kind, "The kind must be File, Stdout or Stderr.");
        }
    }

    public static void Url(Uri url, string parameter)
    {
        ArgumentNullException.ThrowIfNull(url, parameter);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"URL '{url.OriginalString}' is not an absolute http or https URL; allowed: an absolute URL such as 'https://example.com/report.html'.", parameter);
        }
    }

    /// <summary>Whether <paramref name="hash"/> has the shape of a content hash this store writes: 64 lowercase hex digits.</summary>
    public static bool IsContentHash(string? hash) =>
        hash is { Length: 64 } && hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static string? FindNameProblem(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is empty or white space";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is {name.Length} characters long";
        }

        if (name.Any(char.IsControl))
        {
            return "has a control character";
        }

        if (!IsWellFormed(name))
        {
            return "is not valid UTF-16 (it has a lone surrogate)";
        }

        if (name[0] is '/' or '\\')
        {
            return name.StartsWith(@"\\", StringComparison.Ordinal) ? "is a UNC path" : "is an absolute path";
        }

        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
        {
            return "starts with a drive";
        }

        if (name.Contains('\\'))
        {
            return "has a backslash";
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "has an empty segment";
            }

            if (segment is "." or "..")
            {
                return $"has a '{segment}' segment";
            }

            // Windows drops a trailing dot or space from a file name, so '.. ' or '...' would become '..' there.
            if (segment[^1] is '.' or ' ')
            {
                return $"has a segment ending in a {(segment[^1] == '.' ? "dot" : "space")} ('{segment}')";
            }
        }

        return null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text with control characters and lone surrogates shown as <c>\uXXXX</c>, so a message stays readable.</summary>
    private static string Show(string text)
    {
        var shown = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                shown.Append(c).Append(text[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.ToString();
    }
}
