using CsCheck;
using static Weaver.Runtime.Tests.Jobs.JobSpecs;

namespace Weaver.Runtime.Tests.Jobs;

/// <summary>
/// Properties of <see cref="JobGraph"/> over random DAGs of 1 to 40 tasks, with and without injected cycles, compared
/// with naive computations on the spec.
/// </summary>
public sealed class JobGraphPropertyTests
{
    /// <summary>
    /// A random DAG: tasks get a hidden order, a task may depend only on tasks earlier in it, and the spec lists the
    /// tasks shuffled. Ids are random letters plus the task's number, so they are unique but sort in random order.
    /// </summary>
    internal static readonly Gen<RandomGraph> Dag =
        from n in Gen.Int[1, 40]
        from prefixes in Gen.Char["abcxyz"].Array[0, 3].Array[n]
        from density in Gen.Int[0, 100]
        from rolls in Gen.Int[0, 99].Array[n * n]
        from shuffleKeys in Gen.Int.Array[n]
        select MakeDag(n, prefixes, density, rolls, shuffleKeys);

    /// <summary>A random DAG with a cycle of 1 to 5 of its tasks injected.</summary>
    private static readonly Gen<RandomGraph> Cyclic =
        from dag in Dag
        from picks in Gen.Int[0, int.MaxValue].Array[1, 5]
        select InjectCycle(dag, picks);

    [Fact]
    public void Random_dags_are_accepted_and_ordered_after_their_dependencies()
    {
        Dag.Sample(dag =>
        {
            var graph = JobGraph.Build(ToSpec(dag));
            var position = graph.TopologicalOrder.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);

            return graph.TaskIds.SequenceEqual(dag.Ids)
                && graph.TopologicalOrder.Count == dag.Ids.Count
                && position.Count == dag.Ids.Count
                && dag.Ids.All(id => dag[id].All(dependency => position[dependency] < position[id]))
                && graph.Roots.SequenceEqual(dag.Ids.Where(id => dag[id].Count == 0));
        });
    }

    [Fact]
    public void Dependents_are_the_reverse_of_dependencies_in_spec_order()
    {
        Dag.Sample(dag =>
        {
            var graph = JobGraph.Build(ToSpec(dag));
            return dag.Ids.All(id =>
                graph.DependenciesOf(id).SequenceEqual(dag[id])
                && graph.DependentsOf(id).SequenceEqual(dag.Ids.Where(other => dag[other].Contains(id))));
        });
    }

    [Fact]
    public void A_spec_listed_in_topological_order_keeps_its_order()
    {
        Dag.Sample(dag =>
        {
            var sorted = JobGraph.Build(ToSpec(dag)).TopologicalOrder;
            var graph = JobGraph.Build(ToSpec(dag with { Ids = sorted }));
            return graph.TopologicalOrder.SequenceEqual(graph.TaskIds);
        });
    }

    [Fact]
    public void Random_graphs_with_a_cycle_are_rejected_and_every_reported_cycle_is_real()
    {
        Cyclic.Sample(graph =>
        {
            var problems = ProblemsOf(ToSpec(graph));
            var cycles = problems.Select(CycleOf).ToArray();
            return cycles.Length > 0
                && cycles.All(cycle => cycle is not null
                    && cycle.Length >= 2
                    && cycle[0] == cycle[^1]
                    && cycle.Zip(cycle.Skip(1)).All(edge => graph[edge.First].Contains(edge.Second)));
        });
    }

    [Fact]
    public void Every_strongly_connected_component_with_a_cycle_has_a_reported_cycle()
    {
        Cyclic.Sample(graph =>
        {
            var reach = Reachability(graph);
            var reported = ProblemsOf(ToSpec(graph)).Select(problem => CycleOf(problem)!).ToArray();

            // A task is on a cycle when it reaches itself; its component is the tasks it reaches and that reach it.
            return graph.Ids.Where(id => reach[id].Contains(id)).All(id =>
                reported.Any(cycle => cycle.All(member => reach[id].Contains(member) && reach[member].Contains(id))));
        });
    }

    [Fact]
    public void Descendants_are_the_tasks_that_reach_the_task_through_dependencies()
    {
        Dag.Sample(dag =>
        {
            var graph = JobGraph.Build(ToSpec(dag));
            var reach = Reachability(dag);
            return dag.Ids.All(id =>
            {
                var expected = graph.TopologicalOrder.Where(other => reach[other].Contains(id));
                return graph.DescendantsOf(id).SequenceEqual(expected);
            });
        });
    }

    private static RandomGraph MakeDag(int n, char[][] prefixes, int density, int[] rolls, int[] shuffleKeys)
    {
        var hidden = Enumerable.Range(0, n).Select(i => new string(prefixes[i]) + i).ToArray();
        var dependencies = hidden.ToDictionary(id => id, _ => new List<string>());
        for (var later = 0; later < n; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (rolls[(later * n) + earlier] < density)
                {
                    dependencies[hidden[later]].Add(hidden[earlier]);
                }
            }
        }

        var specOrder = Enumerable.Range(0, n).OrderBy(i => shuffleKeys[i]).ThenBy(i => i).Select(i => hidden[i]).ToArray();
        return new RandomGraph(specOrder, dependencies);
    }

    /// <summary>Makes each picked task depend on the next one picked and the last on the first: a cycle, or a self-loop for one pick.</summary>
    private static RandomGraph InjectCycle(RandomGraph dag, int[] picks)
    {
        var members = picks.Select(pick => dag.Ids[pick % dag.Ids.Count]).Distinct().ToArray();
        var graph = dag with { DependsOn = dag.DependsOn.ToDictionary(task => task.Key, task => task.Value.ToList()) };
        for (var i = 0; i < members.Length; i++)
        {
            var next = members[(i + 1) % members.Length];
            if (!graph[members[i]].Contains(next))
            {
                graph.DependsOn[members[i]].Add(next);
            }
        }

        return graph;
    }

    internal static JobSpec ToSpec(RandomGraph graph) => new(graph.Ids.Select(id => Task(id, [.. graph[id]])).ToArray());

    /// <summary>For each task, every task it reaches by following one or more dependency edges.</summary>
    private static Dictionary<string, HashSet<string>> Reachability(RandomGraph graph) =>
        graph.Ids.ToDictionary(id => id, id =>
        {
            var reached = new HashSet<string>();
            var pending = new Stack<string>(graph[id]);
            while (pending.TryPop(out var next))
            {
                if (reached.Add(next))
                {
                    foreach (var dependency in graph[next])
                    {
                        pending.Push(dependency);
                    }
                }
            }

            return reached;
        });

    /// <summary>A graph of tasks: <paramref name="Ids"/> in spec order, and the ids each task depends on.</summary>
    internal sealed record RandomGraph(IReadOnlyList<string> Ids, Dictionary<string, List<string>> DependsOn)
    {
        public List<string> this[string id] => DependsOn[id];

        public override string ToString() => string.Join("; ", Ids.Select(id => $"{id} depends on [{string.Join(", ", DependsOn[id])}]"));
    }
}
