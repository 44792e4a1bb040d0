using FileLocks;
using Weaver;

// Four agents run five tasks that edit one repository. Each task declares the files it touches as resources, so the engine's lock manager
// runs tasks whose files overlap one after the other and the rest side by side. One agent, laptop-7, claims its task and
// freezes: its lease and its locks go stale, the task waiting for its file goes ahead, its own task is taken back and
// finished by another agent, and when laptop-7 wakes up its late save and commit are both rejected.
var failures = new List<string>();
void Expect(bool condition, string what)
{
    if (!condition)
    {
        failures.Add(what);
    }
}

// Short leases so the run takes seconds: a lease is stale 1.4 s after its last heartbeat.
var leases = new LeaseOptions { LeaseDuration = TimeSpan.FromSeconds(1), HeartbeatInterval = TimeSpan.FromMilliseconds(200), StaleAfterMissedHeartbeats = 2 };
using var engine = new TaskEngine(WeaverHandlers.RegisterAll(new HandlerRegistry()), new TaskEngineOptions { Leases = leases });
string[] files = ["README.md", "config/app.json", "docs/api.md", "src/Api.cs", "src/Auth.cs", "src/Session.cs", "src/User.cs"];
var repository = new Repository(files, engine.Locks, engine.TimeProvider, editTime: TimeSpan.FromMilliseconds(400));
Workspace.Open(repository);

var rename = new EditRequest("rename UserId to AccountId", ["src/User.cs", "src/Api.cs"]);
(string Id, EditRequest Edit)[] tasks =
[
    ("rename-user-id", rename),
    ("update-readme", new("update the README", ["README.md"])),
    ("fix-login", new("fix the login redirect", ["src/Auth.cs", "src/Session.cs"])),
    ("session-timeout", new("make the session timeout configurable", ["src/Session.cs", "config/app.json"])),
    ("add-api-docs", new("document the API", ["./src//Api.cs", "docs/api.md"])), // another spelling of src/Api.cs: the same lock
];
Console.WriteLine($"Leases go stale {leases.StaleAfter.TotalSeconds} s after the last heartbeat; an edit takes {repository.EditTime.TotalMilliseconds} ms.");
Console.WriteLine("Tasks:");
foreach (var (id, edit) in tasks)
{
    _ = engine.Submit("edit-files", edit, id: id, resources: edit.Files);
    Console.WriteLine($"  {id,-16} {edit.Change} in {string.Join(", ", edit.Files)}");
}

// laptop-7 claims rename-user-id as any worker does, which locks its files, opens them with their fencing tokens, and
// freezes: its process is paused, so nothing heartbeats for it. The other agents start after it.
const string Frozen = "laptop-7";
var start = engine.TimeProvider.GetUtcNow();
if (!engine.TryStartAttempt("rename-user-id", Frozen, out var frozenAttempt))
{
    Console.Error.WriteLine($"{Frozen} could not claim rename-user-id: {engine.Get("rename-user-id").History[^1].Detail}");
    return 1;
}

var frozenSession = repository.Open("rename-user-id", Frozen, rename.Files);
Console.WriteLine($"{Frozen} claims rename-user-id (lease epoch {frozenAttempt.Lease.Epoch}), locks its files and freezes.");
Console.WriteLine();

await using (var agents = new WorkerGroup(engine, new WorkerGroupOptions { Concurrency = 3, Name = "agents" }))
{
    agents.Start();
    var ended = await Task.WhenAll(tasks.Select(task => engine.WaitForCompletionAsync(task.Id))).WaitAsync(TimeSpan.FromSeconds(30), engine.TimeProvider);
    Expect(ended.All(task => task.State == TaskLifecycle.State.Succeeded), "every task should succeed");
}

// laptop-7 wakes up and carries on where it stopped: it saves its edit, then commits the task.
StaleLockException? rejectedSave = null;
try
{
    frozenSession.Save(rename.Change);
}
catch (StaleLockException rejected)
{
    rejectedSave = rejected;
}

var lateCommitAccepted = engine.TryComplete(frozenAttempt, "renamed by the frozen agent");

// What happened, from the lock manager's history, the repository's saves and the engine's task histories.
var locks = LockHistory.Replay(engine.Locks.History(), engine.All());
var renamed = engine.Get("rename-user-id");
var takenBack = renamed.History.Where(e => e.Kind is TaskEventKind.Reclaimed or TaskEventKind.WriteRejected).Select(e => e.Kind == TaskEventKind.Reclaimed
    ? new TimelineEntry(e.At, renamed.Id, "(sweeper)", $"TAKEN BACK: lease epoch {e.Epoch} went stale; queued again")
    : new TimelineEntry(e.At, renamed.Id, e.Owner ?? "", $"commit REJECTED: {e.Detail}"));
TimelinePrinter.PrintTimeline(locks.Entries.Concat(repository.Saves).Concat(takenBack).OrderBy(entry => entry.At), start);
Console.WriteLine();
TimelinePrinter.PrintHoldings(locks.Holdings, start);
Console.WriteLine();

Console.WriteLine("What happened");
foreach (var file in locks.Holdings.GroupBy(h => h.File).Where(g => g.Select(h => h.Task).Distinct().Count() > 1))
{
    var inTurn = file.Zip(file.Skip(1)).All(pair => pair.First.Until is { } until && until <= pair.Second.From);
    Expect(inTurn, $"the holders of {file.Key} should hold it one after the other");
    Console.WriteLine($"  Serialized: {file.Key}: {string.Join(" -> ", file.Select(h => $"{h.Task} ({h.Owner})"))}; never two at once.");
}

Expect(repository.Collisions.Count == 0, $"no two agents should edit one file at once: {string.Join("; ", repository.Collisions)}");
foreach (var (first, second) in repository.SideBySide)
{
    Console.WriteLine($"  In parallel: {first} and {second} edited disjoint files at the same time.");
}

Expect(repository.SideBySide.Count > 0, "tasks with disjoint files should run side by side");

// laptop-7 never released anything (it was frozen): whatever released its locks did so because its lease was lost.
var frozenHolds = locks.Holdings.Where(h => h.Owner == Frozen).ToArray();
var docsGotApi = locks.Holdings.FirstOrDefault(h => h.Task == "add-api-docs" && h.File == "src/Api.cs");
Expect(frozenHolds.Length > 0 && frozenHolds.All(h => h.End is HoldingEnd.WentStale or HoldingEnd.TakenBack), $"{Frozen}'s locks should be lost");
Expect(docsGotApi is not null && frozenHolds.All(h => h.Until <= docsGotApi.From), $"add-api-docs should get src/Api.cs only after {Frozen} lost its lock");
if (frozenHolds.Length > 0 && frozenHolds[0].Until is { } lost && docsGotApi is not null)
{
    var how = frozenHolds[0].End == HoldingEnd.WentStale ? "they went stale" : "its task was taken back";
    Console.WriteLine(
        $"  Lost: {Frozen} stopped heartbeating, so at +{TimelinePrinter.Ms(lost, start)} ms its locks on {string.Join(", ", frozenHolds.Select(h => h.File))} "
        + $"were released ({how}); add-api-docs got src/Api.cs at +{TimelinePrinter.Ms(docsGotApi.From, start)} ms.");
}

var reclaimed = renamed.History.Any(e => e.Kind == TaskEventKind.Reclaimed && e.Epoch == frozenAttempt.Lease.Epoch);
var finished = renamed.History.LastOrDefault(e => e.Kind == TaskEventKind.Succeeded);
Expect(reclaimed && finished is not null && finished.Owner != Frozen && finished.Epoch > frozenAttempt.Lease.Epoch, "rename-user-id should be taken back and finished by another agent under a higher lease epoch");
if (reclaimed && finished is not null)
{
    Console.WriteLine($"  Reclaimed: rename-user-id was taken back from {Frozen} (lease epoch {frozenAttempt.Lease.Epoch}) and finished by {finished.Owner} under lease epoch {finished.Epoch}.");
}

Expect(rejectedSave is not null, $"{Frozen}'s late save should be rejected");
if (rejectedSave is not null)
{
    Console.WriteLine($"  Rejected: {Frozen}'s late save: {rejectedSave.Message}");
}

var rejectedCommit = renamed.History.LastOrDefault(e => e.Kind == TaskEventKind.WriteRejected && e.Owner == Frozen);
Expect(!lateCommitAccepted && rejectedCommit is not null, $"{Frozen}'s late commit should be rejected");
if (rejectedCommit is not null)
{
    Console.WriteLine($"  Rejected: {Frozen}'s late commit: {rejectedCommit.Detail}");
}

Console.WriteLine();
Console.WriteLine("Repository after all edits");
foreach (var file in files)
{
    Console.WriteLine($"  {file}: {string.Join("; ", repository.Changes(file))}");
}

Expect(repository.Changes("src/Api.cs").Count == 2, "src/Api.cs should hold exactly the two accepted edits (rename, docs)");
Console.WriteLine();
if (failures.Count > 0)
{
    Console.Error.WriteLine($"The sample did not behave as expected ({failures.Count} check(s) failed):");
    failures.ForEach(failure => Console.Error.WriteLine($"  - {failure}"));
    return 1;
}

Console.WriteLine("All checks passed.");
return 0;
