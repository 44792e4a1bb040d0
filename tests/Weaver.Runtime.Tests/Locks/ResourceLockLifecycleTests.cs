using static Weaver.Runtime.Tests.Locks.LockKit;

namespace Weaver.Runtime.Tests.Locks;

public sealed class ResourceLockLifecycleTests
{
    [Fact]
    public void Acquire_renew_release_are_each_recorded_with_task_owner_resources_epoch_and_time()
    {
        var (clock, locks) = NewManager();

        var result = locks.TryAcquire("build-1", "w1", ["src/b.cs", "./src/a.cs", @"src\b.cs"]);
        Assert.True(result.Acquired);
        var lease = result.Lease;
        Assert.Equal(new ResourceLease("build-1", "w1", 1, lease.Resources, Start + Short.StaleAfter), lease);
        Assert.Equal(Keys("src/a.cs", "src/b.cs"), lease.Resources);
        Assert.Throws<NotSupportedException>(() => ((IList<ResourceKey>)lease.Resources)[0] = ResourceKey.Normalize("x"));
        Assert.Empty(result.Conflicts);
        Assert.True(locks.TryGetHolder("src//a.cs", out var holder));
        Assert.Same(lease, holder);

        clock.Advance(Short.HeartbeatInterval);
        Assert.True(locks.TryRenew(lease, out var renewed));
        Assert.Equal(lease with { ExpiresAt = clock.GetUtcNow() + Short.StaleAfter }, renewed);
        Assert.Equal([renewed], locks.Held());

        clock.Advance(Short.HeartbeatInterval);
        Assert.True(locks.TryRelease(renewed));
        Assert.Empty(locks.Held());
        Assert.False(locks.TryGetHolder("src/a.cs", out _));

        var history = locks.History("build-1");
        Assert.Equal(
            [
                (Start, ResourceLockEventKind.Acquired),
                (Start + Short.HeartbeatInterval, ResourceLockEventKind.Renewed),
                (Start + (2 * Short.HeartbeatInterval), ResourceLockEventKind.Released),
            ],
            history.Select(e => (e.At, e.Kind)));
        Assert.All(history, e =>
        {
            Assert.Equal("build-1", e.TaskId);
            Assert.Equal("w1", e.Owner);
            Assert.Equal(Keys("src/a.cs", "src/b.cs"), e.Resources);
            Assert.Equal(1, e.Epoch);
            Assert.Equal(TimeSpan.Zero, e.At.Offset);
        });
        Assert.Equal(history, locks.History());
    }

    [Fact]
    public void The_second_task_asking_for_the_same_file_gets_a_conflict_naming_the_first()
    {
        var (_, locks) = NewManager();
        var first = locks.Acquire("build-1", "w1", "src/a.cs");

        var result = locks.TryAcquire("build-2", "w2", [@".\src\a.cs"]);

        Assert.False(result.Acquired);
        Assert.Null(result.Lease);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal(new ResourceConflict(ResourceKey.Normalize("src/a.cs"), "build-1", "w1", 1, first.ExpiresAt + OneTick), conflict);
        Assert.Equal(
            "Not acquired: 'src/a.cs' is held by task 'build-1' (owner 'w1', epoch 1) until 2025-03-01T12:00:00.1400001+00:00.",
            result.Describe());
        Assert.Equal(result.Describe(), result.ToString());

        var recorded = Assert.Single(locks.History("build-2"));
        Assert.Equal((ResourceLockEventKind.Conflict, "w2", 0L, Start), (recorded.Kind, recorded.Owner, recorded.Epoch, recorded.At));
        Assert.Equal(Keys("src/a.cs"), recorded.Resources);
        Assert.Contains("held by task 'build-1' (owner 'w1'", recorded.Detail, StringComparison.Ordinal);
        Assert.Equal([first], locks.Held());
    }

    [Fact]
    public void After_a_conflict_on_a_partly_overlapping_set_nothing_of_that_set_is_held()
    {
        var (_, locks) = NewManager();
        var first = locks.Acquire("build-1", "w1", "a", "b");

        var result = locks.TryAcquire("build-2", "w2", ["b", "c", "d", "a"]);

        Assert.False(result.Acquired);
        Assert.Equal(["a", "b"], result.Conflicts.Select(c => c.Resource.Value));
        Assert.All(result.Conflicts, c => Assert.Equal(("build-1", "w1"), (c.HolderTaskId, c.HolderOwner)));
        Assert.Equal([first], locks.Held());
        Assert.False(locks.TryGetHolder("c", out _));
        Assert.False(locks.TryGetHolder("d", out _));
        Assert.True(locks.TryAcquire("build-3", "w3", ["c", "d"]).Acquired);
    }

    [Fact]
    public void The_same_task_asking_again_conflicts_with_itself()
    {
        var (_, locks) = NewManager();
        var lease = locks.Acquire("build-1", "w1", "a");

        var again = locks.TryAcquire("build-1", "w1", ["a", "b"]);

        Assert.False(again.Acquired);
        Assert.Equal(("build-1", "w1", 1L), (again.Conflicts[0].HolderTaskId, again.Conflicts[0].HolderOwner, again.Conflicts[0].HolderEpoch));
        Assert.Equal([lease], locks.Held());
    }

    [Fact]
    public void Disjoint_sets_are_held_at_once()
    {
        var (_, locks) = NewManager();
        var a = locks.Acquire("t1", "w1", "a", "b");
        var c = locks.Acquire("t2", "w2", "c");

        Assert.Equal([a, c], locks.Held());
    }

    [Fact]
    public void Epochs_grow_per_key_across_release_and_reacquisition()
    {
        var (_, locks) = NewManager();
        var a1 = locks.Acquire("t1", "w1", "a");
        Assert.True(locks.TryRelease(a1));
        var a2 = locks.Acquire("t2", "w2", "a");
        Assert.True(locks.TryRelease(a2));
        var b1 = locks.Acquire("t3", "w1", "b");
        var a3 = locks.Acquire("t4", "w1", "a", "c");
        Assert.True(locks.TryRelease(b1));
        Assert.True(locks.TryRelease(a3));

        // A set's epoch is above every earlier epoch of each of its keys.
        var abc = locks.Acquire("t5", "w1", "a", "b", "c");

        Assert.Equal([1L, 2L, 1L, 3L, 4L], new[] { a1, a2, b1, a3, abc }.Select(l => l.Epoch));
        Assert.False(locks.TryRelease(a3));
    }

    [Fact]
    public void Insensitive_keys_conflict_across_case_and_sensitive_ones_do_not()
    {
        var (_, insensitive) = NewManager(ResourceKeyCase.Insensitive);
        insensitive.Acquire("t1", "w1", "Src/A.cs");
        var clash = insensitive.TryAcquire("t2", "w2", ["src/a.CS"]);
        Assert.False(clash.Acquired);
        Assert.Equal("SRC/A.CS", clash.Conflicts[0].Resource.Value);
        Assert.True(insensitive.TryGetHolder("SRC/a.cs", out _));

        var (_, sensitive) = NewManager(ResourceKeyCase.Sensitive);
        sensitive.Acquire("t1", "w1", "Src/A.cs");
        Assert.True(sensitive.TryAcquire("t2", "w2", ["src/a.CS"]).Acquired);
    }

    [Fact]
    public void Renew_and_release_fail_for_a_lease_that_is_not_the_current_one_and_change_nothing()
    {
        var (_, locks) = NewManager();
        var lease = locks.Acquire("t1", "w1", "a", "b");
        var before = Snapshot(locks);

        ResourceLease[] forged =
        [
            lease with { Epoch = 2 },
            lease with { Owner = "w2" },
            lease with { TaskId = "t2" },
            lease with { Resources = Keys("a") },
            lease with { Resources = Keys("a", "b", "c") },
            lease with { Resources = [] },
            new ResourceLease("t1", "w1", 1, Keys("x"), lease.ExpiresAt),
        ];

        Assert.All(forged, f =>
        {
            Assert.False(locks.TryRenew(f, out var renewed));
            Assert.Null(renewed);
            Assert.False(locks.TryRelease(f));
        });
        Assert.Equal(before, Snapshot(locks));
    }

    [Fact]
    public void A_released_lease_cannot_be_renewed_or_released_again()
    {
        var (_, locks) = NewManager();
        var lease = locks.Acquire("t1", "w1", "a");
        Assert.True(locks.TryRelease(lease));
        var next = locks.Acquire("t1", "w1", "a");
        var before = Snapshot(locks);

        Assert.False(locks.TryRenew(lease, out _));
        Assert.False(locks.TryRelease(lease));
        Assert.Equal(before, Snapshot(locks));
        Assert.Equal(2, next.Epoch);
    }

    [Theory]
    [InlineData(null, "w1", "taskId", "The task id is null or empty")]
    [InlineData("", "w1", "taskId", "The task id is null or empty")]
    [InlineData("t1", null, "owner", "The owner is null or empty")]
    [InlineData("t1", "", "owner", "The owner is null or empty")]
    public void Empty_ids_are_rejected_and_change_nothing(string? taskId, string? owner, string parameter, string message)
    {
        var (_, locks) = NewManager();
        var before = Snapshot(locks);

        var exception = Assert.Throws<ArgumentException>(() => locks.TryAcquire(taskId!, owner!, ["a"]));

        Assert.Equal(parameter, exception.ParamName);
        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(locks));
    }

    [Fact]
    public void Bad_resource_sets_are_rejected_and_change_nothing()
    {
        var (_, locks) = NewManager();
        locks.Acquire("t0", "w0", "held");
        var before = Snapshot(locks);

        var none = Assert.Throws<ArgumentException>(() => locks.TryAcquire("t1", "w1", []));
        Assert.StartsWith("No resources were given; pass at least one resource key", none.Message, StringComparison.Ordinal);
        var nullSet = Assert.Throws<ArgumentException>(() => locks.TryAcquire("t1", "w1", null!));
        Assert.Equal("resources", nullSet.ParamName);
        var climbing = Assert.Throws<ArgumentException>(() => locks.TryAcquire("t1", "w1", ["free", "../etc/passwd"]));
        Assert.StartsWith("Resource key '../etc/passwd' climbs above its root", climbing.Message, StringComparison.Ordinal);
        Assert.Equal("resources", climbing.ParamName);
        var nullKey = Assert.Throws<ArgumentException>(() => locks.TryAcquire("t1", "w1", ["free", null!]));
        Assert.StartsWith("A resource key is null", nullKey.Message, StringComparison.Ordinal);

        Assert.Equal(before, Snapshot(locks));
        Assert.False(locks.TryGetHolder("free", out _));
        Assert.Throws<ArgumentException>(() => locks.TryGetHolder("a/..", out _));
    }

    [Fact]
    public void Bad_options_are_rejected_when_the_manager_is_created()
    {
        var badLeases = new ResourceLockOptions { Leases = new LeaseOptions { HeartbeatInterval = TimeSpan.FromSeconds(400) } };
        Assert.Contains("HeartbeatInterval must be", Assert.Throws<ArgumentException>(() => new ResourceLockManager(badLeases)).Message, StringComparison.Ordinal);

        var badCase = new ResourceLockOptions { KeyCase = (ResourceKeyCase)7 };
        Assert.StartsWith("KeyCase must be Sensitive or Insensitive; it is 7.", Assert.Throws<ArgumentException>(() => new ResourceLockManager(badCase)).Message, StringComparison.Ordinal);

        var noLeases = new ResourceLockOptions { Leases = null! };
        Assert.StartsWith("Leases must be set", Assert.Throws<ArgumentException>(() => new ResourceLockManager(noLeases)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_successful_result_describes_the_lease()
    {
        var (_, locks) = NewManager();
        var result = locks.TryAcquire("t1", "w1", ["b", "a"]);

        Assert.Equal("Task 't1' (owner 'w1') holds 'a'; 'b' under epoch 1 until 2025-03-01T12:00:00.1400000+00:00.", result.Describe());
    }
}
