namespace AgentFleet.Feature;

/// <summary>What the planner is asked to split: the feature, how many subtasks, and how long each step of work takes.</summary>
/// <param name="Title">The feature.</param>
/// <param name="Subtasks">How many subtasks to plan, from <see cref="Catalogue.MinSubtasks"/> to <see cref="Catalogue.MaxSubtasks"/>.</param>
/// <param name="StepMilliseconds">How long one step of an agent's work takes.</param>
public sealed record FeatureRequest(string Title, int Subtasks, int StepMilliseconds);

/// <summary>The planner's result: the subtasks, in the order they were planned.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Subtasks">The subtasks.</param>
public sealed record Plan(string Feature, IReadOnlyList<Subtask> Subtasks);

/// <summary>One subtask of a plan: an agent edits <see cref="Files"/>, holding a lock on each while it works.</summary>
/// <param name="Id">Its id within the plan.</param>
/// <param name="Title">What it does.</param>
/// <param name="Files">The files it edits (and locks).</param>
/// <param name="DependsOn">The subtasks that must be done first.</param>
/// <param name="Steps">How many steps of work it takes.</param>
/// <param name="StepMilliseconds">How long each step takes.</param>
/// <param name="Blocker">When set, every attempt fails with this reason: the subtask fails for good.</param>
public sealed record Subtask(
    string Id,
    string Title,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> DependsOn,
    int Steps,
    int StepMilliseconds,
    string? Blocker = null);

/// <summary>What an agent committed for a subtask: what a revert undoes.</summary>
/// <param name="Subtask">The subtask.</param>
/// <param name="Commit">The commit's id.</param>
/// <param name="Files">The files it changed.</param>
/// <param name="Agent">The agent (lease owner) whose commit was accepted.</param>
public sealed record EditResult(string Subtask, string Commit, IReadOnlyList<string> Files, string Agent);
