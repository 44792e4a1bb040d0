namespace Weaver.Runtime.Tests.Handlers;

/// <summary><see cref="HandlerRegistration.Create"/> by hand: the invoker casts, creates, awaits and disposes, without reflection.</summary>
public sealed class HandlerRegistrationTests
{
    [Fact]
    public void Create_records_the_name_and_the_types()
    {
        var registration = HandlerRegistration.Create<Doubler, int, long>("double", static () => new Doubler());

        Assert.Equal("double", registration.Name);
        Assert.Equal(typeof(Doubler), registration.HandlerType);
        Assert.Equal(typeof(int), registration.InputType);
        Assert.Equal(typeof(long), registration.ResultType);
        Assert.Equal("double: Weaver.Runtime.Tests.Handlers.HandlerRegistrationTests.Doubler (int -> long)", registration.ToString());
    }

    [Fact]
    public async Task Invoker_casts_the_input_awaits_the_handler_and_boxes_the_result()
    {
        var registration = HandlerRegistration.Create<Doubler, int, long>("double", static () => new Doubler());
        using var attempt = new Attempt("double");

        Assert.Equal(42L, await registration.InvokeAsync(21, attempt.Context));
        Assert.Equal(8L, await registration.Invoker(4, attempt.Context));
    }

    [Fact]
    public async Task Wrong_input_type_names_the_handler_the_expected_and_the_actual_type()
    {
        var created = 0;
        var registration = HandlerRegistration.Create<Doubler, int, long>("double", () =>
        {
            created++;
            return new Doubler();
        });
        using var attempt = new Attempt("double");

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await registration.InvokeAsync("21", attempt.Context));

        Assert.Equal("input", error.ParamName);
        Assert.StartsWith(
            "Task handler 'double' (Weaver.Runtime.Tests.Handlers.HandlerRegistrationTests.Doubler) takes an input of type 'int', but was given a 'string'; ",
            error.Message,
            StringComparison.Ordinal);
        Assert.Equal(0, created);
    }

    [Fact]
    public async Task Null_input_is_refused_for_a_value_type_and_passed_on_for_a_reference_type()
    {
        using var attempt = new Attempt("x");
        var doubler = HandlerRegistration.Create<Doubler, int, long>("double", static () => new Doubler());
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await doubler.InvokeAsync(null, attempt.Context));
        Assert.Contains("takes an input of type 'int', but was given null", error.Message, StringComparison.Ordinal);

        var echo = HandlerRegistration.Create<Echo, string?, string>("echo", static () => new Echo());
        Assert.Equal("(null)", await echo.InvokeAsync(null, attempt.Context));
    }

    [Fact]
    public async Task Each_invocation_creates_a_handler_and_disposes_it_even_when_it_throws()
    {
        var handlers = new List<Disposing>();
        var registration = HandlerRegistration.Create<Disposing, bool, int>("disposing", () =>
        {
            var handler = new Disposing();
            handlers.Add(handler);
            return handler;
        });
        using var attempt = new Attempt("disposing");

        Assert.Equal(1, await registration.InvokeAsync(false, attempt.Context));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registration.InvokeAsync(true, attempt.Context));

        Assert.Equal(2, handlers.Count);
        Assert.All(handlers, h => Assert.True(h.Disposed));
    }

    [Fact]
    public async Task The_handler_sees_the_context()
    {
        var registration = HandlerRegistration.Create<Echo, string?, string>("echo", static () => new Echo());
        using var attempt = new Attempt("echo", taskId: "task-7");

        Assert.Equal("hello from task-7 (echo, attempt 1)", await registration.InvokeAsync("hello", attempt.Context));
    }

    [Fact]
    public void Create_refuses_a_blank_name_and_a_null_factory()
    {
        Assert.Throws<ArgumentException>(() => HandlerRegistration.Create<Doubler, int, long>(" ", static () => new Doubler()));
        Assert.Throws<ArgumentException>(() => HandlerRegistration.Create<Doubler, int, long>(string.Empty, static () => new Doubler()));
        Assert.Throws<ArgumentNullException>(() => HandlerRegistration.Create<Doubler, int, long>(null!, static () => new Doubler()));
        Assert.Throws<ArgumentNullException>(() => HandlerRegistration.Create<Doubler, int, long>("double", null!));
    }

    [Fact]
    public async Task Invoker_refuses_a_null_context()
    {
        var registration = HandlerRegistration.Create<Doubler, int, long>("double", static () => new Doubler());
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await registration.InvokeAsync(1, null!));
    }

    private sealed class Doubler : ITaskHandler<int, long>
    {
        public ValueTask<long> HandleAsync(int input, TaskContext context) => ValueTask.FromResult(input * 2L);
    }

    private sealed class Echo : ITaskHandler<string?, string>
    {
        public ValueTask<string> HandleAsync(string? input, TaskContext context) =>
            ValueTask.FromResult(input is null ? "(null)" : $"{input} from {context.TaskId} ({context.Kind}, attempt {context.Attempt})");
    }

    private sealed class Disposing : ITaskHandler<bool, int>, IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public async ValueTask<int> HandleAsync(bool input, TaskContext context)
        {
            await Task.Yield();
            return input ? throw new InvalidOperationException("failed") : 1;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
