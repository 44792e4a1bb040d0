#!/usr/bin/env bash
# Measures what Weaver's generator and analyzers cost a build: generates a project of 200 task machines and 2,000
# methods that take locks, await and switch over machine states, builds it with -p:ReportAnalyzer=true, and prints
# the compiler's own timing report (total build time, and each analyzer's and generator's execution time).
#
#   bash benchmarks/AnalyzerCost/measure.sh [machines]     # default 200 machines, 10 methods each
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
machines="${1:-200}"
work="$(mktemp -d)"
trap '[ -n "${KEEP_LOG:-}" ] && cp "$work/build.log" "$KEEP_LOG"; rm -rf "$work"' EXIT
project="$work/CostProbe"
mkdir -p "$project"

cat > "$project/CostProbe.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/Weaver/Weaver.csproj" />
    <ProjectReference Include="$root/generators/Weaver.Generators/Weaver.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$root/analyzers/Weaver.Analyzers/Weaver.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
XML
# Outside the repository's Directory.Build.* files, like a user's project.
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"

for i in $(seq 1 "$machines"); do
  cat > "$project/Machine$i.cs" <<CS
using Weaver;

namespace CostProbe;

[TaskMachine]
public partial class Job$i
{
    public enum State { [Initial] Queued, Running, Waiting, [Terminal] Succeeded, [Terminal] Dead, [Terminal] Cancelled }

    [Transition(State.Queued, State.Running)] public partial bool TryStart();
    [Transition(State.Running, State.Waiting)] public partial bool TryPause(string reason);
    [Transition(State.Waiting, State.Running)] public partial bool TryResume();
    [Transition(State.Running, State.Succeeded)] public partial bool TrySucceed();
    [Transition(State.Running, State.Dead)] [Transition(State.Waiting, State.Dead)] public partial bool TryKill(string reason);
    [Transition(State.Queued, State.Cancelled)] [Transition(State.Running, State.Cancelled)] [Transition(State.Waiting, State.Cancelled)] public partial bool TryCancel();
}

public sealed class Worker$i
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _async = new(1, 1);
    private readonly ReaderWriterLockSlim _rw = new();
    private readonly Job$i _job = new();
    private int _count;

    public async Task<int> Method1Async()
    {
        Monitor.Enter(_gate);
        try { _count++; } finally { Monitor.Exit(_gate); }
        await Task.Yield();
        return _count;
    }

    public async Task<int> Method2Async()
    {
        await _async.WaitAsync();
        try { await Task.Yield(); return ++_count; } finally { _async.Release(); }
    }

    public string Method3() => _job.Current switch
    {
        Job$i.State.Succeeded => "ok",
        Job$i.State.Dead => "dead",
        Job$i.State.Cancelled => "cancelled",
        _ => "running",
    };

    public bool Method4() => _job.TryStart() && _job.TryPause("wait") && _job.TryResume();

    public async Task<int> Method5Async(bool fast)
    {
        if (!Monitor.TryEnter(_gate)) { await Task.Yield(); return 0; }
        try { return _count; } finally { Monitor.Exit(_gate); }
    }

    public int Method6()
    {
        _rw.EnterReadLock();
        try { return _count; } finally { _rw.ExitReadLock(); }
    }

    public void Method7()
    {
        switch (_job.Current)
        {
            case Job$i.State.Queued: case Job$i.State.Running: case Job$i.State.Waiting: break;
            case Job$i.State.Succeeded: case Job$i.State.Dead: case Job$i.State.Cancelled: _count = 0; break;
        }
    }

    public async Task Method8Async()
    {
        lock (_gate) { _count++; }
        await Task.Delay(0);
    }

    public async Task<int> Method9Async(int n)
    {
        var total = 0;
        for (var k = 0; k < n; k++)
        {
            Monitor.Enter(_gate);
            total += _count;
            Monitor.Exit(_gate);
            await Task.Yield();
        }

        return total;
    }

    public bool Method10() => _job.TrySucceed() || _job.TryKill("late") || _job.TryCancel();
}
CS
done

cd "$project"
dotnet build -c Release -nodeReuse:false -p:UseSharedCompilation=false >/dev/null 2>&1 || true   # restore and build dependencies once
touch "$project"/*.cs
start=$(date +%s.%N)
dotnet build -c Release --no-restore -nodeReuse:false -p:UseSharedCompilation=false -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }
end=$(date +%s.%N)
echo "machines: $machines, hand-written methods: $((machines * 10)), generated triggers: $((machines * 6))"
echo "dotnet build wall time (Release, compiler server off): $(echo "$end - $start" | bc) s"
# The compiler's report: totals, and the lines for Weaver's assemblies and rules (the SDK's own analyzers and
# generators, which every project runs, for scale).
awk '/Total analyzer execution time/{report=1} report' "$work/build.log" \
  | sed 's/^ *//' \
  | grep -E "^Total (analyzer|generator)|^[<0-9.]+ +[<0-9]+ +(Weaver|Microsoft.CodeAnalysis.CSharp.NetAnalyzers,|Microsoft.Interop.ComInterfaceGenerator,)"
grep -E "^ +[0-9]+ ms +Csc +1 calls" "$work/build.log" | sed 's/^ */Csc task (the compile of the probe project): /' | tail -1
