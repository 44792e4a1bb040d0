namespace Weaver;

/// <summary>
/// One task kind and the handler that runs it: its name, its input and result types, and an invoker that creates
/// the handler and runs it on an untyped input. The generator creates one for every <c>[TaskHandler]</c> class
/// (its static <c>Registration</c> property); workers look them up by name in a <see cref="HandlerRegistry"/>.
/// </summary>
/// <remarks>
/// <para>The invoker is built from type parameters, without reflection, so it is trimming- and AOT-safe. Each
/// invocation (of an attempt or of an outcome) creates a new handler from the factory, and disposes it afterwards
/// when it is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.</para>
/// <para>A registration may also carry the handler's outcome callback: the generated code of its
/// <see cref="OnOutcomeAttribute"/> methods, which workers run once after each task of this kind has ended.</para>
/// </remarks>
public sealed class HandlerRegistration
{
    private readonly Func<TaskSnapshot, CancellationToken, ValueTask>? _outcomeInvoker;

    private HandlerRegistration(
        string name,
        Type handlerType,
        Type inputType,
        Type resultType,
        Func<object?, TaskContext, ValueTask<object?>> invoker,
        Func<TaskSnapshot, CancellationToken, ValueTask>? outcomeInvoker)
    {
        Name = name;
        HandlerType = handlerType;
        InputType = inputType;
        ResultType = resultType;
        Invoker = invoker;
        _outcomeInvoker = outcomeInvoker;
    }

    /// <summary>The task kind, as tasks name it when submitted (for example <c>review-pr</c>).</summary>
    public string Name { get; }

    /// <summary>The handler class.</summary>
    public Type HandlerType { get; }

    /// <summary>The <c>TInput</c> of the handler's <see cref="ITaskHandler{TInput, TResult}"/>.</summary>
    public Type InputType { get; }

    /// <summary>The <c>TResult</c> of the handler's <see cref="ITaskHandler{TInput, TResult}"/>.</summary>
    public Type ResultType { get; }

    /// <summary>
    /// Runs one attempt: checks that the input is a <see cref="InputType"/>, creates the handler, awaits its
    /// <see cref="ITaskHandler{TInput, TResult}.HandleAsync"/> and returns the result, boxed.
    /// </summary>
    /// <remarks>The same as <see cref="InvokeAsync"/>, as a delegate to hand on.</remarks>
    public Func<object?, TaskContext, ValueTask<object?>> Invoker { get; }

    /// <summary>
    /// Whether the handler has outcome methods (<see cref="OnOutcomeAttribute"/>): only then do workers call
    /// <see cref="InvokeOutcomeAsync"/> for the tasks of this kind that end.
    /// </summary>
    public bool HasOutcomes => _outcomeInvoker is not null;

    /// <summary>
    /// Creates the registration of <typeparamref name="THandler"/> under <paramref name="name"/>. Generated code calls
    /// this; call it yourself to register a handler by hand.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <typeparam name="TInput">The task's input.</typeparam>
    /// <typeparam name="TResult">What a successful run produces.</typeparam>
    /// <param name="name">The task kind; not empty or white space.</param>
    /// <param name="factory">Creates a handler; called once per invocation.</param>
    /// <param name="onOutcome">
    /// Runs a new handler's outcome methods for a task that has ended, by its <see cref="TaskSnapshot.State"/>; null
    /// when the handler has none. The generator writes it from the handler's <see cref="OnOutcomeAttribute"/> methods.
    /// </param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="factory"/> is null.</exception>
    public static HandlerRegistration Create<THandler, TInput, TResult>(
        string name, Func<THandler> factory, Func<THandler, TaskSnapshot, CancellationToken, ValueTask>? onOutcome = null)
        where THandler : ITaskHandler<TInput, TResult>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);

        return new HandlerRegistration(
            name, typeof(THandler), typeof(TInput), typeof(TResult), InvokeAsync, onOutcome is null ? null : InvokeOutcomeAsync);

        async ValueTask<object?> InvokeAsync(object? input, TaskContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            TInput typed;
            if (input is TInput matching)
            {
                typed = matching;
            }
            else if (input is null && default(TInput) is null)
            {
                // A reference type or Nullable<T>: whether null is welcome is the handler's call.
                typed = default!;
            }
            else
            {
                throw WrongInput(name, typeof(THandler), typeof(TInput), input);
            }

            var handler = CreateHandler();
            try
            {
                return await handler.HandleAsync(typed, context).ConfigureAwait(false);
            }
            finally
            {
                await DisposeHandlerAsync(handler).ConfigureAwait(false);
            }
        }

        async ValueTask InvokeOutcomeAsync(TaskSnapshot task, CancellationToken cancellationToken)
        {
            var handler = CreateHandler();
            try
            {
                await onOutcome!(handler, task, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await DisposeHandlerAsync(handler).ConfigureAwait(false);
            }
        }

        THandler CreateHandler() => factory() ?? throw new InvalidOperationException(
            $"The factory of task handler '{name}' ({TypeNames.Display(typeof(THandler))}) returned null.");
    }

    /// <summary>Runs one attempt of this task kind (see <see cref="Invoker"/>).</summary>
    /// <param name="input">The task's input; it must be a <see cref="InputType"/> (null only when that type allows it).</param>
    /// <param name="context">The attempt.</param>
    /// <returns>The handler's result, boxed.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not a <see cref="InputType"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public ValueTask<object?> InvokeAsync(object? input, TaskContext context) => Invoker(input, context);

    /// <summary>
    /// Runs the outcome methods of a new handler for a task of this kind that has ended; does nothing when the handler
    /// has none (<see cref="HasOutcomes"/>). Workers call it once per ended task.
    /// </summary>
    /// <param name="task">The task as it ended: of this kind, in a terminal state.</param>
    /// <param name="cancellationToken">Passed to the outcome methods that take one.</param>
    /// <returns>A task that completes when the outcome methods have run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="task"/> is of another kind, or has not ended.</exception>
    public ValueTask InvokeOutcomeAsync(TaskSnapshot task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Kind != Name || !task.IsTerminal)
        {
            throw new ArgumentException(
                $"Task handler '{Name}' runs outcomes for its own tasks once they have ended; task '{task.Id}' is a '{task.Kind}' task in state {task.State}.",
                nameof(task));
        }

        return _outcomeInvoker is null ? ValueTask.CompletedTask : _outcomeInvoker(task, cancellationToken);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {TypeNames.Display(HandlerType)} ({TypeNames.Display(InputType)} -> {TypeNames.Display(ResultType)})";

    private static async ValueTask DisposeHandlerAsync(object? handler)
    {
        if (handler is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (handler is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private static ArgumentException WrongInput(string name, Type handlerType, Type inputType, object? input) =>
        new(
            $"Task handler '{name}' ({TypeNames.Display(handlerType)}) takes an input of type '{TypeNames.Display(inputType)}', " +
            $"but was given {(input is null ? "null" : $"a '{TypeNames.Display(input.GetType())}'")}; " +
            "submit tasks of this kind with that input type.",
            nameof(input));
}
