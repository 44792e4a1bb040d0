using System.Globalization;

namespace Weaver.Tests.Machines;

/// <summary>
/// Triggers with default parameter values of many types and with <c>params</c>. The generated <c>CanX</c> and
/// <c>X</c> repeat the defaults, so calling them without arguments must pass the same values as <c>TryX()</c>.
/// Configure and Tag loop on <c>Open</c>, so they can fire any number of times.
/// </summary>
[TaskMachine]
public partial class DefaultsMachine
{
    private readonly List<string> _calls = new();

    public enum State
    {
        [Initial] Open,
        [Terminal] Closed,
    }

    /// <summary>Every guard and hook call with its arguments, as text.</summary>
    public IReadOnlyList<string> Calls => _calls;

    [Transition(State.Open, State.Open, Guard = nameof(ConfigurationAllowed))]
    public partial bool TryConfigure(
        int retries = -1,
        double ratio = 0.1,
        float scale = 1.5f,
        decimal cost = 19.99m,
        long big = -5_000_000_000L,
        uint count = 7u,
        ulong huge = ulong.MaxValue,
        byte small = 200,
        sbyte tiny = -3,
        short least = short.MinValue,
        char mark = '\n',
        string title = "a \"quoted\"\ttitle",
        string? note = null,
        bool flag = true,
        DayOfWeek day = DayOfWeek.Friday,
        int? maybe = 4,
        double limit = double.PositiveInfinity,
        CancellationToken token = default);

    [Transition(State.Open, State.Open)]
    public partial bool TryTag(string prefix = "#", params string[] tags);

    [Transition(State.Open, State.Closed)]
    public partial bool TryClose(params int[] codes);

    private bool ConfigurationAllowed(
        int retries, double ratio, float scale, decimal cost, long big, uint count, ulong huge, byte small, sbyte tiny,
        short least, char mark, string title, string? note, bool flag, DayOfWeek day, int? maybe, double limit,
        CancellationToken token)
    {
        _calls.Add("guard " + Describe(retries, ratio, scale, cost, big, count, huge, small, tiny, least, mark, title, note, flag, day, maybe, limit, token));
        return true;
    }

    partial void OnConfigure(
        State from, State to, int retries, double ratio, float scale, decimal cost, long big, uint count, ulong huge,
        byte small, sbyte tiny, short least, char mark, string title, string? note, bool flag, DayOfWeek day, int? maybe,
        double limit, CancellationToken token) =>
        _calls.Add("hook " + Describe(retries, ratio, scale, cost, big, count, huge, small, tiny, least, mark, title, note, flag, day, maybe, limit, token));

    partial void OnTag(State from, State to, string prefix, string[] tags) => _calls.Add($"tag {prefix}[{string.Join(",", tags)}]");

    partial void OnClose(State from, State to, int[] codes) => _calls.Add($"close [{string.Join(",", codes)}]");

    /// <summary>The text <see cref="Calls"/> holds for these configuration values.</summary>
    public static string Describe(
        int retries, double ratio, float scale, decimal cost, long big, uint count, ulong huge, byte small, sbyte tiny,
        short least, char mark, string title, string? note, bool flag, DayOfWeek day, int? maybe, double limit,
        CancellationToken token) =>
        string.Join(
            "|",
            retries.ToString(CultureInfo.InvariantCulture),
            ratio.ToString("R", CultureInfo.InvariantCulture),
            scale.ToString("R", CultureInfo.InvariantCulture),
            cost.ToString(CultureInfo.InvariantCulture),
            big.ToString(CultureInfo.InvariantCulture),
            count.ToString(CultureInfo.InvariantCulture),
            huge.ToString(CultureInfo.InvariantCulture),
            small.ToString(CultureInfo.InvariantCulture),
            tiny.ToString(CultureInfo.InvariantCulture),
            least.ToString(CultureInfo.InvariantCulture),
            ((int)mark).ToString(CultureInfo.InvariantCulture),
            title,
            note ?? "<null>",
            flag ? "true" : "false",
            day.ToString(),
            maybe?.ToString(CultureInfo.InvariantCulture) ?? "<null>",
            limit.ToString(CultureInfo.InvariantCulture),
            token.CanBeCanceled ? "cancellable" : "none");
}
