using static Weaver.Runtime.Tests.Jobs.JobSpecs;

namespace Weaver.Runtime.Tests.Jobs;

public sealed class JobGraphValidationTests
{
    [Fact]
    public void A_job_without_tasks_is_rejected()
    {
        Assert.Equal(["the job has no tasks"], ProblemsOf(Job()));
        Assert.Equal(["the job has no tasks"], ProblemsOf(new JobSpec(null!)));
    }

    [Fact]
    public void A_null_spec_is_an_argument_null_error()
    {
        Assert.Throws<ArgumentNullException>("spec", () => JobGraph.Build(null!));
    }

    [Fact]
    public void A_null_task_is_named_by_its_position()
    {
        Assert.Equal(["Tasks[1] is null"], ProblemsOf(Job(Task("a"), null!)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public void A_blank_task_id_is_named_by_its_position(string? id)
    {
        Assert.Equal(["Tasks[0] has a blank id"], ProblemsOf(Job(new JobTaskSpec(id!, "work", null))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\t")]
    [InlineData(null)]
    public void A_blank_kind_is_rejected(string? kind)
    {
        Assert.Equal(["task 'a' has a blank kind"], ProblemsOf(Job(new JobTaskSpec("a", kind!, null))));
    }

    [Fact]
    public void Duplicate_task_ids_are_reported_once_with_their_count()
    {
        Assert.Equal(["task id 'a' is used 3 times"], ProblemsOf(Job(Task("a"), Task("b"), Task("a"), Task("a"))));
    }

    [Fact]
    public void Only_the_first_task_with_an_id_has_edges_so_a_duplicate_adds_no_cycle()
    {
        Assert.Equal(["task id 'a' is used 2 times"], ProblemsOf(Job(Task("a"), Task("a", "a"))));
    }

    [Fact]
    public void Task_ids_are_case_sensitive()
    {
        Assert.Equal(["A", "a"], JobGraph.Build(Job(Task("A"), Task("a"))).TaskIds);
    }

    [Fact]
    public void An_unknown_dependency_names_the_tasks_of_the_job()
    {
        Assert.Equal(
            ["task 'b' depends on 'x', which is not a task of this job (its tasks: a, b, c)"],
            ProblemsOf(Job(Task("a"), Task("b", "x"), Task("c"))));
    }

    [Fact]
    public void An_unknown_dependency_in_a_large_job_lists_twenty_tasks_and_counts_the_rest()
    {
        var tasks = Enumerable.Range(0, 25).Select(i => Task($"t{i}")).Append(Task("last", "missing")).ToArray();

        var expected = $"task 'last' depends on 'missing', which is not a task of this job (its tasks: {string.Join(", ", Enumerable.Range(0, 20).Select(i => $"t{i}"))} and 6 more)";
        Assert.Equal([expected], ProblemsOf(Job(tasks)));
    }

    [Fact]
    public void A_blank_dependency_is_rejected()
    {
        Assert.Equal(["task 'b' has a blank dependency", "task 'b' has a blank dependency"], ProblemsOf(Job(Task("a"), Task("b", " ", null!))));
    }

    [Fact]
    public void A_dependency_listed_twice_is_rejected()
    {
        Assert.Equal(
            ["task 'b' lists dependency 'a' 3 times; list each dependency once"],
            ProblemsOf(Job(Task("a"), Task("b", "a", "a", "a"))));
    }

    [Fact]
    public void A_task_that_depends_on_itself_is_the_cycle_a_to_a()
    {
        Assert.Equal(["dependency cycle: a -> a (each task depends on the next)"], ProblemsOf(Job(Task("a", "a"))));
    }

    [Fact]
    public void A_cycle_is_named_as_a_path_from_its_smallest_id_back_to_itself()
    {
        var spec = Job(Task("c", "a"), Task("b", "c"), Task("a", "b"), Task("d", "a"));

        Assert.Equal(["dependency cycle: a -> b -> c -> a (each task depends on the next)"], ProblemsOf(spec));
    }

    [Fact]
    public void Each_cycle_closed_by_a_different_edge_is_reported()
    {
        // a -> b -> a and a -> c -> a share a; x -> y -> x is a second component.
        var spec = Job(Task("y", "x"), Task("x", "y"), Task("a", "b", "c"), Task("b", "a"), Task("c", "a"));

        Assert.Equal(
            [
                "dependency cycle: a -> b -> a (each task depends on the next)",
                "dependency cycle: a -> c -> a (each task depends on the next)",
                "dependency cycle: x -> y -> x (each task depends on the next)",
            ],
            ProblemsOf(spec));
    }

    [Fact]
    public void Null_lists_and_budgets_in_a_task_are_rejected()
    {
        var task = new JobTaskSpec("a", "work", null) { DependsOn = null!, Resources = null!, Budget = null! };

        Assert.Equal(
            [
                "task 'a' has a null Budget; use TaskBudget.Unlimited for no limits",
                "task 'a' has a null Resources list; use [] for none",
                "task 'a' has a null DependsOn list; use [] for none",
            ],
            ProblemsOf(Job(task)));
    }

    [Fact]
    public void A_bad_resource_key_is_rejected_with_the_key_rules()
    {
        var task = Task("a") with { Resources = ["src/a.cs", "../x"] };

        Assert.Equal(
            ["task 'a': Resource key '../x' climbs above its root (a '..' with no segment before it to go back from); allowed: a relative path that stays inside its root ('src/a.cs'), an absolute path ('/src/a.cs') or a name ('db:orders')"],
            ProblemsOf(Job(task)));
    }

    [Fact]
    public void A_bad_retry_policy_is_rejected_with_its_own_message()
    {
        var task = Task("a") with { Retry = new RetryPolicy { MaxAttempts = 0 } };

        Assert.Equal(
            ["task 'a' retry policy: MaxAttempts must be at least 1 (it counts the first attempt; 1 means no retries); it is 0. (Parameter 'MaxAttempts')"],
            ProblemsOf(Job(task)));
    }

    [Fact]
    public void Bad_budgets_are_rejected()
    {
        var spec = Job(Task("a") with { Budget = new TaskBudget { MaxCost = -1m } }) with { Budget = new JobBudget { Deadline = TimeSpan.Zero } };

        Assert.Equal(
            [
                "job budget: Deadline must be more than zero or null for no limit; it is 00:00:00",
                "task 'a' budget: MaxCost must be 0 or more or null for no limit; it is -1",
            ],
            ProblemsOf(spec));
    }

    [Fact]
    public void A_blank_job_id_and_a_negative_decomposition_depth_are_rejected()
    {
        var spec = Job(Task("a")) with { Id = " ", MaxDecompositionDepth = -1 };

        Assert.Equal(
            [
                "the job id ' ' is blank; leave Id null for a generated id",
                "MaxDecompositionDepth must be 0 or more (0 means no task may be decomposed); it is -1",
            ],
            ProblemsOf(spec));
    }

    [Fact]
    public void Zero_decomposition_depth_and_a_given_job_id_are_allowed()
    {
        var graph = JobGraph.Build(Job(Task("a")) with { Id = "nightly", MaxDecompositionDepth = 0 });

        Assert.Equal("nightly", graph.Spec.Id);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_a_deterministic_order()
    {
        var spec = Job(
                Task("a", "x"),
                Task("a"),
                null!,
                new JobTaskSpec("b", " ", null) { DependsOn = ["c", "c"] },
                Task("c", "b"))
            with { Budget = new JobBudget { MaxAttempts = 0 } };

        Assert.Equal(
            [
                "job budget: MaxAttempts must be at least 1 (it counts the attempts of all the job's tasks together, every first attempt included) or null for no limit; it is 0",
                "task id 'a' is used 2 times",
                "task 'a' depends on 'x', which is not a task of this job (its tasks: a, b, c)",
                "Tasks[2] is null",
                "task 'b' has a blank kind",
                "task 'b' lists dependency 'c' 2 times; list each dependency once",
                "dependency cycle: b -> c -> b (each task depends on the next)",
            ],
            ProblemsOf(spec));
    }

    [Fact]
    public void The_exception_is_an_argument_exception_whose_message_lists_every_problem_and_the_rules()
    {
        var error = Assert.Throws<InvalidJobSpecException>(() => JobGraph.Build(Job(Task("a", "a"), Task("b", "x"))));

        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Equal("spec", error.ParamName);
        Assert.Equal(
            "The job spec has 2 problems:\n"
            + "- task 'b' depends on 'x', which is not a task of this job (its tasks: a, b)\n"
            + "- dependency cycle: a -> a (each task depends on the next)\n"
            + "A job needs at least one task; each task needs an id that is not blank and is unique within the job, and a kind "
            + "that is not blank; a task may depend only on other tasks of the same job, each listed once, with no cycles; "
            + "budgets allow attempts of at least 1, deadlines of more than zero and costs of 0 or more. (Parameter 'spec')",
            error.Message);
    }

    [Fact]
    public void One_problem_is_counted_in_the_singular()
    {
        var error = Assert.Throws<InvalidJobSpecException>(() => JobGraph.Build(Job()));

        Assert.StartsWith("The job spec has 1 problem:\n- the job has no tasks\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_problems_cannot_be_changed_through_the_exception()
    {
        List<string> problems = ["first"];
        var error = new InvalidJobSpecException(problems);
        problems.Add("second");

        Assert.Equal(["first"], error.Problems);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)error.Problems).Add("third"));
    }

    [Fact]
    public void An_exception_without_problems_cannot_be_made()
    {
        Assert.Throws<ArgumentException>("problems", () => new InvalidJobSpecException([]));
    }
}
