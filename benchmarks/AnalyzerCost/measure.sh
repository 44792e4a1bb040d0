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

# One file per machine from the template the compiler benchmarks embed ($i: its number; $step: the edited body's step).
for i in $(seq 1 "$machines"); do
  sed -e "s/\$i/$i/g" -e 's/\$step/1/g' "$root/benchmarks/AnalyzerCost/Machine.cs.template" > "$project/Machine$i.cs"
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
