using System.Collections.ObjectModel;

namespace Weaver;

/// <summary>
/// A validated <see cref="JobSpec"/> as a directed acyclic graph: who depends on whom, an order to run the tasks in,
/// and which tasks are blocked when one of them dies. Immutable, and a pure function of the spec: the same spec always
/// gives the same graph, the same orders and the same problems.
/// </summary>
/// <remarks>
/// An edge runs from a task to each task it depends on. Building costs O(V + E) plus O(V log V) for the ordinal sort of
/// start tasks and the spec-order tie-break of <see cref="TopologicalOrder"/>; every query is O(1) except
/// <see cref="DescendantsOf"/>, which is O(V + E).
/// </remarks>
public sealed class JobGraph
{
    /// <summary>How many task ids an "unknown dependency" problem lists before it says how many more there are.</summary>
    private const int ListedIdsLimit = 20;

    private readonly Dictionary<string, int> _index;
    private readonly JobTaskSpec[] _tasks;
    private readonly ReadOnlyCollection<string>[] _dependencies;
    private readonly ReadOnlyCollection<string>[] _dependents;
    private readonly int[][] _dependentIndexes;
    private readonly int[] _topological;

    private JobGraph(JobSpec spec, JobTaskSpec[] tasks, Dictionary<string, int> index, List<int>[] dependencies)
    {
        Spec = spec;
        _index = index;
        _tasks = tasks;
        var n = _tasks.Length;

        var dependents = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dependents[i] = [];
        }

        // Appending while walking the tasks in spec order keeps every dependents list in spec order.
        for (var i = 0; i < n; i++)
        {
            foreach (var dependency in dependencies[i])
            {
                dependents[dependency].Add(i);
            }
        }

        _dependencies = dependencies.Select(Ids).ToArray();
        _dependentIndexes = dependents.Select(list => list.ToArray()).ToArray();
        _dependents = _dependentIndexes.Select(Ids).ToArray();
        _topological = Kahn(dependencies, dependents);

        TaskIds = _tasks.Select(task => task.Id).ToArray().AsReadOnly();
        TopologicalOrder = Ids(_topological);
        Roots = Enumerable.Range(0, n).Where(i => dependencies[i].Count == 0).Select(i => _tasks[i].Id).ToArray().AsReadOnly();
    }

    /// <summary>The spec this graph was built from.</summary>
    public JobSpec Spec { get; }

    /// <summary>The ids of the job's tasks, in spec order.</summary>
    public IReadOnlyList<string> TaskIds { get; }

    /// <summary>
    /// Every task once, each after all of its dependencies: Kahn's algorithm, taking among the tasks whose dependencies
    /// are all placed the one that comes first in the spec. So a spec already listed in dependency order keeps its order.
    /// </summary>
    public IReadOnlyList<string> TopologicalOrder { get; }

    /// <summary>The tasks that depend on nothing, in spec order: the ones that can run at once.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>The task with id <paramref name="id"/>.</summary>
    /// <param name="id">A task id of this job.</param>
    /// <returns>The task's spec.</returns>
    /// <exception cref="KeyNotFoundException">No task of this job has that id.</exception>
    public JobTaskSpec this[string id] => _tasks[IndexOf(id)];

    /// <summary>
    /// Validates <paramref name="spec"/> and builds its graph. Every problem is collected before anything is thrown, so
    /// one exception lists them all.
    /// </summary>
    /// <param name="spec">The job as submitted.</param>
    /// <returns>The graph.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    /// <exception cref="InvalidJobSpecException">
    /// The spec is invalid: no tasks, a null task, a blank task id or kind, duplicate task ids, a dependency that is
    /// blank, unknown or listed twice, a cycle of dependencies (named as a path such as <c>a -> b -> c -> a</c>), an
    /// invalid budget, retry policy or resource key, a blank job id, or a negative decomposition depth.
    /// </exception>
    public static JobGraph Build(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        JobProblems(spec, problems);

        // One snapshot, so that what is checked is what the graph is built from.
        var tasks = spec.Tasks?.ToArray() ?? [];
        if (tasks.Length == 0)
        {
            problems.Add("the job has no tasks");
            throw new InvalidJobSpecException(problems);
        }

        // Only the first task with a given id is a node of the graph; later ones are reported as duplicates.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodes = new List<int>();
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Length; i++)
        {
            if (tasks[i]?.Id is { } id && !string.IsNullOrWhiteSpace(id))
            {
                if (index.TryAdd(id, nodes.Count))
                {
                    nodes.Add(i);
                }

                uses[id] = uses.GetValueOrDefault(id) + 1;
            }
        }

        var nodeIds = nodes.Select(i => tasks[i].Id).ToArray();
        foreach (var id in nodeIds)
        {
            if (uses[id] > 1)
            {
                problems.Add($"task id '{id}' is used {uses[id]} times");
            }
        }

        var dependencies = new List<int>[nodes.Count];
        for (var node = 0; node < nodes.Count; node++)
        {
            dependencies[node] = [];
        }

        var knownIds = DescribeIds(nodeIds);
        for (var i = 0; i < tasks.Length; i++)
        {
            var task = tasks[i];
            if (task is null)
            {
                problems.Add($"Tasks[{i}] is null");
                continue;
            }

            var blankId = string.IsNullOrWhiteSpace(task.Id);
            var name = blankId ? $"Tasks[{i}]" : $"task '{task.Id}'";
            if (blankId)
            {
                problems.Add($"Tasks[{i}] has a blank id");
            }

            TaskProblems(task, name, problems);

            var edges = !blankId && nodes[index[task.Id]] == i ? dependencies[index[task.Id]] : null;
            DependencyProblems(task, name, index, knownIds, edges, problems);
        }

        foreach (var cycle in FindCycles(nodeIds, dependencies))
        {
            problems.Add($"dependency cycle: {cycle} (each task depends on the next)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidJobSpecException(problems);
        }

        return new JobGraph(spec, tasks, index, dependencies);
    }

    /// <summary>The ids of the tasks that <paramref name="id"/> depends on, in the order its spec lists them.</summary>
    /// <param name="id">A task id of this job.</param>
    /// <returns>Its direct dependencies; empty for a root.</returns>
    /// <exception cref="KeyNotFoundException">No task of this job has that id.</exception>
    public IReadOnlyList<string> DependenciesOf(string id) => _dependencies[IndexOf(id)];

    /// <summary>The ids of the tasks that depend directly on <paramref name="id"/>, in spec order.</summary>
    /// <param name="id">A task id of this job.</param>
    /// <returns>Its direct dependents; empty when no task depends on it.</returns>
    /// <exception cref="KeyNotFoundException">No task of this job has that id.</exception>
    public IReadOnlyList<string> DependentsOf(string id) => _dependents[IndexOf(id)];

    /// <summary>
    /// Every task that depends on <paramref name="id"/> directly or through other tasks: the tasks that can never run
    /// once it has died or been cancelled. O(V + E).
    /// </summary>
    /// <param name="id">A task id of this job.</param>
    /// <returns>Its transitive dependents in <see cref="TopologicalOrder"/>, without <paramref name="id"/> itself.</returns>
    /// <exception cref="KeyNotFoundException">No task of this job has that id.</exception>
    public IReadOnlyList<string> DescendantsOf(string id)
    {
        var reached = new bool[_tasks.Length];
        var pending = new Stack<int>();
        pending.Push(IndexOf(id));
        while (pending.TryPop(out var task))
        {
            foreach (var dependent in _dependentIndexes[task])
            {
                if (!reached[dependent])
                {
                    reached[dependent] = true;
                    pending.Push(dependent);
                }
            }
        }

        return _topological.Where(task => reached[task]).Select(task => _tasks[task].Id).ToArray().AsReadOnly();
    }

    private static void JobProblems(JobSpec spec, List<string> problems)
    {
        if (spec.Id is { } id && string.IsNullOrWhiteSpace(id))
        {
            problems.Add($"the job id '{id}' is blank; leave Id null for a generated id");
        }

        if (spec.Budget is null)
        {
            problems.Add("the job budget is null; use JobBudget.Unlimited for no limits");
        }
        else
        {
            problems.AddRange(spec.Budget.Problems());
        }

        if (spec.MaxDecompositionDepth < 0)
        {
            problems.Add($"MaxDecompositionDepth must be 0 or more (0 means no task may be decomposed); it is {spec.MaxDecompositionDepth}");
        }
    }

    private static void TaskProblems(JobTaskSpec task, string name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(task.Kind))
        {
            problems.Add($"{name} has a blank kind");
        }

        if (task.Budget is null)
        {
            problems.Add($"{name} has a null Budget; use TaskBudget.Unlimited for no limits");
        }
        else
        {
            problems.AddRange(task.Budget.Problems(name));
        }

        try
        {
            task.Retry?.Validate();
        }
        catch (ArgumentException invalid)
        {
            problems.Add($"{name} retry policy: {invalid.Message}");
        }

        if (task.Compensation is { } compensation)
        {
            if (string.IsNullOrWhiteSpace(compensation.Kind))
            {
                problems.Add($"{name} has a compensation with a blank kind");
            }

            try
            {
                compensation.Retry?.Validate();
            }
            catch (ArgumentException invalid)
            {
                problems.Add($"{name} compensation retry policy: {invalid.Message}");
            }
        }

        if (task.Resources is null)
        {
            problems.Add($"{name} has a null Resources list; use [] for none");
            return;
        }

        foreach (var resource in task.Resources)
        {
            if (!ResourceKey.TryNormalize(resource, ResourceKeyCase.Sensitive, out _, out var error))
            {
                problems.Add($"{name}: {error.TrimEnd('.')}");
            }
        }
    }

    /// <summary>Reports the task's bad dependency entries and adds its good ones to <paramref name="edges"/>, when given.</summary>
    private static void DependencyProblems(
        JobTaskSpec task, string name, Dictionary<string, int> index, string knownIds, List<int>? edges, List<string> problems)
    {
        if (task.DependsOn is null)
        {
            problems.Add($"{name} has a null DependsOn list; use [] for none");
            return;
        }

        var listed = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new List<string>();
        foreach (var dependency in task.DependsOn)
        {
            if (string.IsNullOrWhiteSpace(dependency))
            {
                problems.Add($"{name} has a blank dependency");
            }
            else if (!index.TryGetValue(dependency, out var target))
            {
                problems.Add($"{name} depends on '{dependency}', which is not a task of this job (its tasks: {knownIds})");
            }
            else if (listed.TryAdd(dependency, 1))
            {
                edges?.Add(target);
            }
            else if (++listed[dependency] == 2)
            {
                repeated.Add(dependency);
            }
        }

        foreach (var dependency in repeated)
        {
            problems.Add($"{name} lists dependency '{dependency}' {listed[dependency]} times; list each dependency once");
        }
    }

    /// <summary>
    /// Depth-first search along dependency edges, starting from the tasks in ordinal id order and following each task's
    /// dependencies in listed order. Every edge to a task still on the search path closes a cycle, reported as that part
    /// of the path, so each cycle is distinct and every strongly connected component with a cycle yields at least one.
    /// </summary>
    private static List<string> FindCycles(string[] ids, List<int>[] dependencies)
    {
        const int Unvisited = 0, OnPath = 1, Done = 2;
        var cycles = new List<string>();
        var state = new int[ids.Length];
        var path = new List<int>();
        var pathPosition = new int[ids.Length];
        var nextEdge = new int[ids.Length];

        var starts = Enumerable.Range(0, ids.Length).ToArray();
        Array.Sort(starts, (x, y) => string.CompareOrdinal(ids[x], ids[y]));
        foreach (var start in starts)
        {
            if (state[start] != Unvisited)
            {
                continue;
            }

            state[start] = OnPath;
            pathPosition[start] = 0;
            path.Add(start);
            while (path.Count > 0)
            {
                var task = path[^1];
                if (nextEdge[task] == dependencies[task].Count)
                {
                    state[task] = Done;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                var dependency = dependencies[task][nextEdge[task]++];
                if (state[dependency] == Unvisited)
                {
                    state[dependency] = OnPath;
                    pathPosition[dependency] = path.Count;
                    path.Add(dependency);
                }
                else if (state[dependency] == OnPath)
                {
                    var members = path.Skip(pathPosition[dependency]).Append(dependency).Select(member => ids[member]);
                    cycles.Add(string.Join(" -> ", members));
                }
            }
        }

        return cycles;
    }

    /// <summary>Kahn's algorithm; among the tasks ready at each step the earliest in spec order goes first.</summary>
    private static int[] Kahn(List<int>[] dependencies, List<int>[] dependents)
    {
        var waitingFor = dependencies.Select(list => list.Count).ToArray();
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < waitingFor.Length; i++)
        {
            if (waitingFor[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new int[waitingFor.Length];
        var placed = 0;
        while (ready.TryDequeue(out var task, out _))
        {
            order[placed++] = task;
            foreach (var dependent in dependents[task])
            {
                if (--waitingFor[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        return order;
    }

    private static string DescribeIds(IEnumerable<string> ids)
    {
        var all = ids.ToArray();
        var listed = string.Join(", ", all.Take(ListedIdsLimit));
        return all.Length > ListedIdsLimit ? $"{listed} and {all.Length - ListedIdsLimit} more" : listed;
    }

    private int IndexOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _index.TryGetValue(id, out var task)
            ? task
            : throw new KeyNotFoundException($"'{id}' is not a task of this job (its tasks: {DescribeIds(TaskIds)}).");
    }

    private ReadOnlyCollection<string> Ids(IEnumerable<int> tasks) => tasks.Select(task => _tasks[task].Id).ToArray().AsReadOnly();
}
