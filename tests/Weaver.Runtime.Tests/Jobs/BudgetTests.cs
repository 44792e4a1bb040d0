namespace Weaver.Runtime.Tests.Jobs;

public sealed class BudgetTests
{
    [Fact]
    public void Unlimited_budgets_have_no_limits_and_are_valid()
    {
        Assert.Equal(new TaskBudget(), TaskBudget.Unlimited);
        Assert.Null(TaskBudget.Unlimited.MaxAttempts);
        Assert.Null(TaskBudget.Unlimited.Deadline);
        Assert.Null(TaskBudget.Unlimited.MaxCost);
        Assert.Same(TaskBudget.Unlimited, TaskBudget.Unlimited.Validate("a"));

        Assert.Equal(new JobBudget(), JobBudget.Unlimited);
        Assert.Same(JobBudget.Unlimited, JobBudget.Unlimited.Validate());
    }

    [Fact]
    public void The_smallest_allowed_limits_are_valid()
    {
        var task = new TaskBudget { MaxAttempts = 1, Deadline = TimeSpan.FromTicks(1), MaxCost = 0m };
        var job = new JobBudget { MaxAttempts = 1, Deadline = TimeSpan.FromTicks(1), MaxCost = 0m };

        Assert.Same(task, task.Validate("a"));
        Assert.Same(job, job.Validate());
    }

    [Theory]
    [InlineData(0, "task 'a' budget: MaxAttempts must be at least 1 (it counts every attempt of the task, the first included) or null for no limit; it is 0.")]
    [InlineData(-3, "task 'a' budget: MaxAttempts must be at least 1 (it counts every attempt of the task, the first included) or null for no limit; it is -3.")]
    public void A_task_budget_rejects_attempts_below_one(int attempts, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new TaskBudget { MaxAttempts = attempts }.Validate("a"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_task_budget_rejects_a_deadline_that_is_not_positive_and_a_negative_cost()
    {
        var deadline = Assert.Throws<ArgumentException>(() => new TaskBudget { Deadline = TimeSpan.FromSeconds(-1) }.Validate("a"));
        Assert.Equal("task 'a' budget: Deadline must be more than zero or null for no limit; it is -00:00:01.", deadline.Message);

        var cost = Assert.Throws<ArgumentException>(() => new TaskBudget { MaxCost = -0.5m }.Validate("a"));
        Assert.Equal("task 'a' budget: MaxCost must be 0 or more or null for no limit; it is -0.5.", cost.Message);
    }

    [Fact]
    public void A_job_budget_names_every_wrong_value_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new JobBudget { MaxAttempts = 0, Deadline = TimeSpan.Zero, MaxCost = -1m }.Validate());

        Assert.Equal(
            "job budget: MaxAttempts must be at least 1 (it counts the attempts of all the job's tasks together, every first attempt included) or null for no limit; it is 0; "
            + "job budget: Deadline must be more than zero or null for no limit; it is 00:00:00; "
            + "job budget: MaxCost must be 0 or more or null for no limit; it is -1.",
            error.Message);
    }

    [Fact]
    public void Costs_are_written_the_same_in_every_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var error = Assert.Throws<ArgumentException>(() => new JobBudget { MaxCost = -1.25m }.Validate());
            Assert.EndsWith("it is -1.25.", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
