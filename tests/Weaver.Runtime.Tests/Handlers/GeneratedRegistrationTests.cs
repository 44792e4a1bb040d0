namespace Weaver.Runtime.Tests.Handlers;

/// <summary>
/// The generator's output, used for real: <c>WeaverHandlers.RegisterAll</c> registers the <c>[TaskHandler]</c> classes
/// of this assembly (in its root namespace, <c>Weaver.Runtime.Tests</c>), and their registrations run them.
/// </summary>
public sealed class GeneratedRegistrationTests
{
    [Fact]
    public void RegisterAll_adds_every_handler_of_the_assembly_in_order_of_their_names()
    {
        var registry = new HandlerRegistry();

        var returned = WeaverHandlers.RegisterAll(registry);

        Assert.Same(registry, returned);
        Assert.Equal(["count-words", "outcome-probe", "review-pr"], registry.Names);
        Assert.Same(ReviewPullRequestHandler.Registration, registry.Get("review-pr"));
        Assert.Same(Maintenance.CountWordsHandler.Registration, registry.Get("count-words"));
    }

    [Fact]
    public void Each_registration_names_its_handler_input_and_result()
    {
        var review = ReviewPullRequestHandler.Registration;
        Assert.Equal("review-pr", review.Name);
        Assert.Equal(typeof(ReviewPullRequestHandler), review.HandlerType);
        Assert.Equal(typeof(ReviewRequest), review.InputType);
        Assert.Equal(typeof(ReviewOutcome), review.ResultType);

        var count = Maintenance.CountWordsHandler.Registration;
        Assert.Equal(("count-words", typeof(Maintenance.CountWordsHandler), typeof(string), typeof(int)), (count.Name, count.HandlerType, count.InputType, count.ResultType));
    }

    [Fact]
    public async Task A_registration_from_the_registry_runs_its_handler_with_the_input_and_the_context()
    {
        var registry = WeaverHandlers.RegisterAll(new HandlerRegistry());
        using var attempt = new Attempt("review-pr", taskId: "task-42");

        var result = await registry.Get("review-pr").InvokeAsync(new ReviewRequest("weaver", 128), attempt.Context);

        Assert.Equal(new ReviewOutcome(true, "weaver#128 reviewed by worker-1 in attempt 1"), result);
        Assert.Equal(1.5m, attempt.Context.Cost);
    }

    [Fact]
    public async Task An_asynchronous_nested_handler_runs_too()
    {
        var registry = WeaverHandlers.RegisterAll(new HandlerRegistry());
        using var attempt = new Attempt("count-words");

        Assert.Equal(4, await registry.Get("count-words").Invoker("run tasks  reliably everywhere", attempt.Context));
    }

    [Fact]
    public async Task A_wrong_input_type_is_an_argument_exception_naming_the_handler_and_both_types()
    {
        var registry = WeaverHandlers.RegisterAll(new HandlerRegistry());
        using var attempt = new Attempt("review-pr");

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await registry.Get("review-pr").InvokeAsync("weaver#128", attempt.Context));

        Assert.Equal("input", error.ParamName);
        Assert.StartsWith(
            "Task handler 'review-pr' (Weaver.Runtime.Tests.Handlers.ReviewPullRequestHandler) takes an input of type " +
            "'Weaver.Runtime.Tests.Handlers.ReviewRequest', but was given a 'string'; submit tasks of this kind with that input type.",
            error.Message,
            StringComparison.Ordinal);
        Assert.Equal(0m, attempt.Context.Cost);
    }

    [Fact]
    public void Registering_the_assembly_twice_into_one_registry_names_both_handlers()
    {
        var registry = WeaverHandlers.RegisterAll(new HandlerRegistry());

        var error = Assert.Throws<ArgumentException>(() => WeaverHandlers.RegisterAll(registry));

        Assert.Contains(
            "'count-words' is already registered, by Weaver.Runtime.Tests.Handlers.Maintenance.CountWordsHandler; " +
            "Weaver.Runtime.Tests.Handlers.Maintenance.CountWordsHandler cannot be registered under it too.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_task_kind_lists_the_registered_ones()
    {
        var registry = WeaverHandlers.RegisterAll(new HandlerRegistry());

        var error = Assert.Throws<KeyNotFoundException>(() => registry.Get("deploy"));

        Assert.Contains("'deploy' (registered: 'count-words', 'outcome-probe', 'review-pr')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegisterAll_refuses_a_null_registry() =>
        Assert.Throws<ArgumentNullException>(() => WeaverHandlers.RegisterAll(null!));
}
