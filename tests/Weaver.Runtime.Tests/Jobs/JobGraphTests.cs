using static Weaver.Runtime.Tests.Jobs.JobSpecs;

namespace Weaver.Runtime.Tests.Jobs;

public sealed class JobGraphTests
{
    // build depends on fetch; test and lint depend on build; pack depends on test and lint; docs stands alone.
    private static readonly JobGraph Pipeline = JobGraph.Build(Job(
        Task("pack", "test", "lint"),
        Task("test", "build"),
        Task("docs"),
        Task("lint", "build"),
        Task("build", "fetch"),
        Task("fetch")));

    [Fact]
    public void Task_ids_and_roots_keep_spec_order()
    {
        Assert.Equal(["pack", "test", "docs", "lint", "build", "fetch"], Pipeline.TaskIds);
        Assert.Equal(["docs", "fetch"], Pipeline.Roots);
    }

    [Fact]
    public void The_topological_order_breaks_ties_by_spec_order()
    {
        Assert.Equal(["docs", "fetch", "build", "test", "lint", "pack"], Pipeline.TopologicalOrder);
    }

    [Fact]
    public void A_spec_already_in_dependency_order_keeps_its_order()
    {
        var graph = JobGraph.Build(Job(Task("a"), Task("b", "a"), Task("c"), Task("d", "b", "c")));

        Assert.Equal(graph.TaskIds, graph.TopologicalOrder);
    }

    [Fact]
    public void Dependencies_keep_their_listed_order_and_dependents_keep_spec_order()
    {
        Assert.Equal(["test", "lint"], Pipeline.DependenciesOf("pack"));
        Assert.Equal(["test", "lint"], Pipeline.DependentsOf("build"));
        Assert.Empty(Pipeline.DependenciesOf("fetch"));
        Assert.Empty(Pipeline.DependentsOf("pack"));
    }

    [Fact]
    public void Descendants_are_every_transitive_dependent_in_topological_order()
    {
        Assert.Equal(["build", "test", "lint", "pack"], Pipeline.DescendantsOf("fetch"));
        Assert.Equal(["pack"], Pipeline.DescendantsOf("lint"));
        Assert.Empty(Pipeline.DescendantsOf("docs"));
        Assert.Empty(Pipeline.DescendantsOf("pack"));
    }

    [Fact]
    public void The_indexer_returns_the_task_spec()
    {
        var task = Task("a") with { Input = 42, Resources = ["src/a.cs"] };
        var graph = JobGraph.Build(Job(task));

        Assert.Same(task, graph["a"]);
    }

    [Fact]
    public void An_unknown_id_is_a_key_not_found_error_that_names_the_tasks()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Pipeline["nope"]);
        Assert.Equal("'nope' is not a task of this job (its tasks: pack, test, docs, lint, build, fetch).", error.Message);

        Assert.Throws<KeyNotFoundException>(() => Pipeline.DependenciesOf("nope"));
        Assert.Throws<KeyNotFoundException>(() => Pipeline.DependentsOf("nope"));
        Assert.Throws<KeyNotFoundException>(() => Pipeline.DescendantsOf("nope"));
        Assert.Throws<ArgumentNullException>(() => Pipeline.DescendantsOf(null!));
    }

    [Fact]
    public void Changing_the_spec_lists_after_building_does_not_change_the_graph()
    {
        var dependsOn = new List<string> { "a" };
        var tasks = new List<JobTaskSpec> { Task("a"), new("b", "work", null) { DependsOn = dependsOn } };
        var graph = JobGraph.Build(new JobSpec(tasks));

        dependsOn.Add("c");
        tasks.Add(Task("c"));

        Assert.Equal(["a", "b"], graph.TaskIds);
        Assert.Equal(["a"], graph.DependenciesOf("b"));
    }

    [Fact]
    public void The_lists_the_graph_returns_cannot_be_changed()
    {
        Assert.Throws<NotSupportedException>(() => ((IList<string>)Pipeline.TopologicalOrder)[0] = "x");
        Assert.Throws<NotSupportedException>(() => ((IList<string>)Pipeline.DependenciesOf("pack"))[0] = "x");
        Assert.Throws<NotSupportedException>(() => ((IList<string>)Pipeline.DescendantsOf("fetch"))[0] = "x");
    }

    [Fact]
    public void A_long_chain_builds_without_deep_recursion()
    {
        const int Length = 100_000;
        var tasks = Enumerable.Range(0, Length).Select(i => i == 0 ? Task("t0") : Task($"t{i}", $"t{i - 1}")).Reverse().ToArray();

        var graph = JobGraph.Build(Job(tasks));

        Assert.Equal(Enumerable.Range(0, Length).Select(i => $"t{i}"), graph.TopologicalOrder);
        Assert.Equal(Length - 1, graph.DescendantsOf("t0").Count);
    }
}
