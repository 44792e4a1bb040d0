namespace Weaver.Tests.Support;

/// <summary>
/// A test that shows a known generator bug (see <c>KnownGeneratorBugs.md</c>). It is skipped unless its bug's
/// reproduction is compiled in with <c>-p:WeaverKnownBugs=&lt;id&gt;</c>; then it runs, and fails (or, for bugs in
/// the generated code's compilation, the build fails) until the generator is fixed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KnownGeneratorBugFactAttribute : FactAttribute
{
    public KnownGeneratorBugFactAttribute(string id, bool reproductionCompiled)
    {
        if (!reproductionCompiled)
        {
            Skip = $"Known generator bug {id}, see tests/Weaver.Tests/KnownGeneratorBugs.md; "
                + $"run with -p:WeaverKnownBugs={id} to reproduce it.";
        }
    }
}

/// <summary>Which known-bug reproductions this build compiled in (from <c>-p:WeaverKnownBugs</c>).</summary>
public static class KnownBugs
{
#if KGB01
    public const bool KGB01 = true;
#else
    public const bool KGB01 = false;
#endif
#if KGB02
    public const bool KGB02 = true;
#else
    public const bool KGB02 = false;
#endif
#if KGB03
    public const bool KGB03 = true;
#else
    public const bool KGB03 = false;
#endif
#if KGB04
    public const bool KGB04 = true;
#else
    public const bool KGB04 = false;
#endif
#if KGB05
    public const bool KGB05 = true;
#else
    public const bool KGB05 = false;
#endif
#if KGB06
    public const bool KGB06 = true;
#else
    public const bool KGB06 = false;
#endif
#if KGB07
    public const bool KGB07 = true;
#else
    public const bool KGB07 = false;
#endif
}
