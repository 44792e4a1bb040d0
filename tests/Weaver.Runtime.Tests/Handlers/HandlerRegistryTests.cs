namespace Weaver.Runtime.Tests.Handlers;

/// <summary><see cref="HandlerRegistry"/>: one handler per name, lookups that say what is registered.</summary>
public sealed class HandlerRegistryTests
{
    private static readonly HandlerRegistration Review = HandlerRegistration.Create<ReviewHandler, string, int>("review-pr", static () => new ReviewHandler());
    private static readonly HandlerRegistration Lint = HandlerRegistration.Create<LintHandler, string, int>("lint", static () => new LintHandler());

    [Fact]
    public void Added_registrations_are_found_by_name_and_listed_in_order()
    {
        var registry = new HandlerRegistry().Add(Review).Add(Lint);

        Assert.Same(Review, registry.Get("review-pr"));
        Assert.True(registry.TryGet("lint", out var lint));
        Assert.Same(Lint, lint);
        Assert.Equal(["review-pr", "lint"], registry.Names);
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public void Names_compare_ordinally()
    {
        var registry = new HandlerRegistry().Add(Review);

        Assert.False(registry.TryGet("Review-PR", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public void A_duplicate_name_is_an_argument_exception_naming_both_handlers()
    {
        var registry = new HandlerRegistry().Add(Review);
        var impostor = HandlerRegistration.Create<LintHandler, string, int>("review-pr", static () => new LintHandler());

        var error = Assert.Throws<ArgumentException>(() => registry.Add(impostor));

        Assert.Equal("registration", error.ParamName);
        Assert.StartsWith(
            "Task handler name 'review-pr' is already registered, by Weaver.Runtime.Tests.Handlers.HandlerRegistryTests.ReviewHandler; " +
            "Weaver.Runtime.Tests.Handlers.HandlerRegistryTests.LintHandler cannot be registered under it too. Give each [TaskHandler] its own name.",
            error.Message,
            StringComparison.Ordinal);
        Assert.Same(Review, registry.Get("review-pr"));
        Assert.Equal(["review-pr"], registry.Names);
    }

    [Fact]
    public void Get_of_an_unknown_name_says_the_name_and_lists_the_registered_ones()
    {
        var registry = new HandlerRegistry().Add(Review).Add(Lint);

        var error = Assert.Throws<KeyNotFoundException>(() => registry.Get("deploy"));

        Assert.Equal(
            "No task handler is registered under the name 'deploy' (registered: 'lint', 'review-pr'). Declare a [TaskHandler(\"deploy\")] class " +
            "and add it with WeaverHandlers.RegisterAll(registry), or submit the task under a registered name.",
            error.Message);
        Assert.Contains("none is registered", Assert.Throws<KeyNotFoundException>(() => new HandlerRegistry().Get("deploy")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        var registry = new HandlerRegistry();
        Assert.Throws<ArgumentNullException>(() => registry.Add(null!));
        Assert.Throws<ArgumentNullException>(() => registry.Get(null!));
        Assert.Throws<ArgumentNullException>(() => registry.TryGet(null!, out _));
    }

    [Fact]
    public async Task Concurrent_adds_and_lookups_see_whole_registrations()
    {
        var registry = new HandlerRegistry();
        var registrations = Enumerable.Range(0, 200)
            .Select(i => HandlerRegistration.Create<ReviewHandler, string, int>($"kind-{i}", static () => new ReviewHandler()))
            .ToList();

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var n = 0; n < 2_000; n++)
            {
                foreach (var name in registry.Names)
                {
                    Assert.Equal(name, registry.Get(name).Name);
                }
            }
        }));
        var writers = registrations.Chunk(50).Select(chunk => Task.Run(() =>
        {
            foreach (var registration in chunk)
            {
                registry.Add(registration);
            }
        }));
        await Task.WhenAll(readers.Concat(writers));

        Assert.Equal(200, registry.Count);
        Assert.Equal(registrations.Select(r => r.Name).Order(StringComparer.Ordinal), registry.Names.Order(StringComparer.Ordinal));
    }

    private sealed class ReviewHandler : ITaskHandler<string, int>
    {
        public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input.Length);
    }

    private sealed class LintHandler : ITaskHandler<string, int>
    {
        public ValueTask<int> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(0);
    }
}
