using Microsoft.Extensions.Time.Testing;

namespace Weaver.Runtime.Tests.Claims;

/// <summary>Shared fixtures for the claim-table tests: a fake clock at a fixed start and a table on it.</summary>
internal static class ClaimTableKit
{
    /// <summary>A start on a whole second, so every expected instant is exact to the millisecond.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Short timing for stress and property tests: stale 140 ms after the last heartbeat.</summary>
    public static readonly LeaseOptions Short = new()
    {
        LeaseDuration = TimeSpan.FromMilliseconds(100),
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        StaleAfterMissedHeartbeats = 2,
    };

    public static TimeSpan Ms(long milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    public static (FakeTimeProvider Clock, ClaimTable<string> Table) NewTable(LeaseOptions? options = null)
    {
        var clock = new FakeTimeProvider(Start);
        return (clock, new ClaimTable<string>(options, clock));
    }

    /// <summary>Everything observable about <paramref name="keys"/>, to assert that a rejected call changed nothing.</summary>
    public static IReadOnlyList<string> Snapshot(ClaimTable<string> table, params string[] keys)
    {
        var state = new List<string>();
        foreach (var key in keys)
        {
            var held = table.TryGetHolder(key, out var holder);
            state.Add($"{key}: latest={table.LatestEpoch(key)} held={held} holder={holder}");
        }

        state.AddRange(table.StaleLeases().Select(l => $"stale: {l}").Order(StringComparer.Ordinal));
        return state;
    }
}
