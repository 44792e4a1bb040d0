using Weaver;

namespace AgentFleet.Agents;

/// <summary>The fleet's agents: started, replaced when one crashes, told what the store says they work on, retired at the end.</summary>
/// <param name="create">Creates an agent of a given name (in this process, or in a worker process).</param>
/// <param name="run">Which run of the job this is: agents of a later run get names of their own (<c>agent-1@run2</c>).</param>
public sealed class Roster(Func<string, Agent> create, int run)
{
    private readonly Lock _gate = new();
    private readonly List<Agent> _agents = [];
    private int _named;

    /// <summary>Every agent of this run, in the order they joined.</summary>
    public IReadOnlyList<Agent> Agents
    {
        get
        {
            lock (_gate)
            {
                return [.. _agents];
            }
        }
    }

    /// <summary>Starts a new agent.</summary>
    /// <param name="cancellationToken">Stops waiting for it to be ready.</param>
    /// <returns>The agent, working.</returns>
    public async Task<Agent> AddAsync(CancellationToken cancellationToken)
    {
        string name;
        lock (_gate)
        {
            _named++;
            name = run == 1 ? $"agent-{_named}" : $"agent-{_named}@run{run}";
        }

        var agent = create(name);
        await agent.StartAsync(cancellationToken);
        lock (_gate)
        {
            _agents.Add(agent);
        }

        return agent;
    }

    /// <summary>The agent whose worker holds a lease of <paramref name="owner"/>, if it is one of this run's.</summary>
    /// <param name="owner">A lease owner.</param>
    /// <returns>The agent, or null.</returns>
    public Agent? ByOwner(string? owner) => Agents.FirstOrDefault(agent => agent.Owner == owner);

    /// <summary>Moves each idle or working agent's session to what the store says it runs now.</summary>
    /// <param name="running">The store's running tasks.</param>
    public void Observe(IReadOnlyList<StoredTask> running)
    {
        foreach (var agent in Agents)
        {
            var session = agent.Session;
            var task = running.FirstOrDefault(t => t.Owner == agent.Owner);
            var label = task is null ? null : Label(task);
            // The chaos monkey may freeze or crash the agent meanwhile; then these refuse, and that is right.
            if (session.Current == AgentSession.State.Working && session.Task != label)
            {
                _ = session.TryFinish();
            }

            if (label is not null && session.Current == AgentSession.State.Idle)
            {
                _ = session.TryWork(label);
            }
        }
    }

    /// <summary>Stops every agent that did not crash; running attempts are handed back.</summary>
    /// <returns>A task that completes once all stopped.</returns>
    public async Task RetireAllAsync()
    {
        foreach (var agent in Agents.Where(agent => !agent.Session.IsTerminal))
        {
            if (agent.Session.Current == AgentSession.State.Frozen)
            {
                agent.Resume();
            }

            await agent.RetireAsync();
            agent.Session.Retire();
        }
    }

    /// <summary>A store task as people read it: its id within its job (a compensation's engine id keeps its suffix).</summary>
    /// <param name="task">The task.</param>
    /// <returns>The label.</returns>
    public static string Label(StoredTask task) => task.Job?.TaskId ?? ShortId(task.Id);

    /// <summary>A store task id without its job's prefix: <c>feature-1/plan/api</c> is <c>plan/api</c>.</summary>
    /// <param name="id">The store's task id.</param>
    /// <returns>The short id.</returns>
    public static string ShortId(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? id[(slash + 1)..] : id;
    }
}
