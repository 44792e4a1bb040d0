using Microsoft.Extensions.DependencyInjection;

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
/// <para>A handler whose constructor takes services (<see cref="CreateFromServices"/>) runs only once bound to a service
/// provider (<see cref="WithServices"/>, which a Weaver host does): each invocation then creates the handler in a new
/// service scope, and disposes the handler and the scope afterwards.</para>
/// </remarks>
public sealed class HandlerRegistration
{
    private readonly Func<TaskSnapshot, CancellationToken, ValueTask>? _outcomeInvoker;
    private readonly Func<IServiceProvider, HandlerRegistration>? _bind;

    private HandlerRegistration(
        string name,
        Type handlerType,
        Type inputType,
        Type resultType,
        Func<object?, TaskContext, ValueTask<object?>> invoker,
        Func<TaskSnapshot, CancellationToken, ValueTask>? outcomeInvoker,
        Func<IServiceProvider, HandlerRegistration>? bind)
    {
        Name = name;
        HandlerType = handlerType;
        InputType = inputType;
        ResultType = resultType;
        Invoker = invoker;
        _outcomeInvoker = outcomeInvoker;
        _bind = bind;
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
    /// Whether the handler's constructor takes services (<see cref="CreateFromServices"/>) and this registration is not
    /// yet bound to a service provider: it cannot run until <see cref="WithServices"/> binds it, and a
    /// <see cref="HandlerRegistry"/> refuses it.
    /// </summary>
    public bool NeedsServices => _bind is not null;

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
        return Build<THandler, TInput, TResult>(
            name,
            () => new HandlerInstance<THandler>(factory() ?? throw FactoryReturnedNull(name, typeof(THandler)), Scope: null),
            onOutcome,
            bind: null);
    }

    /// <summary>
    /// Creates the registration of <typeparamref name="THandler"/> under <paramref name="name"/>, for a handler whose
    /// constructor takes services from dependency injection. The generator calls this for a <c>[TaskHandler]</c> whose
    /// only constructor takes parameters, with a factory that passes each from the provider. The registration runs only
    /// once bound to a provider by <see cref="WithServices"/>; a Weaver host (<c>services.AddWeaver</c>) binds every
    /// registration it runs.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <typeparam name="TInput">The task's input.</typeparam>
    /// <typeparam name="TResult">What a successful run produces.</typeparam>
    /// <param name="name">The task kind; not empty or white space.</param>
    /// <param name="factory">Creates a handler from a service scope's provider; called once per invocation, in a new scope.</param>
    /// <param name="onOutcome">The handler's outcome methods, as for <see cref="Create"/>; null when it has none.</param>
    /// <returns>The registration, not yet bound (<see cref="NeedsServices"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="factory"/> is null.</exception>
    public static HandlerRegistration CreateFromServices<THandler, TInput, TResult>(
        string name, Func<IServiceProvider, THandler> factory, Func<THandler, TaskSnapshot, CancellationToken, ValueTask>? onOutcome = null)
        where THandler : ITaskHandler<TInput, TResult>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        return Build<THandler, TInput, TResult>(name, () => throw Unbound(name, typeof(THandler)), onOutcome, Bind);

        HandlerRegistration Bind(IServiceProvider services)
        {
            var scopes = services.GetRequiredService<IServiceScopeFactory>();
            return Build<THandler, TInput, TResult>(name, CreateInScope, onOutcome, bind: null);

            HandlerInstance<THandler> CreateInScope()
            {
                var scope = scopes.CreateAsyncScope();
                try
                {
                    return new HandlerInstance<THandler>(factory(scope.ServiceProvider) ?? throw FactoryReturnedNull(name, typeof(THandler)), scope);
                }
                catch
                {
                    scope.Dispose();
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// This registration bound to <paramref name="services"/>: when the handler's constructor takes services
    /// (<see cref="NeedsServices"/>), a registration whose every invocation creates the handler in a new scope of
    /// <paramref name="services"/>; otherwise this registration, unchanged.
    /// </summary>
    /// <param name="services">The application's services; its <see cref="IServiceScopeFactory"/> creates the scopes.</param>
    /// <returns>A registration that can run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="services"/> has no <see cref="IServiceScopeFactory"/>.</exception>
    public HandlerRegistration WithServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return _bind is null ? this : _bind(services);
    }

    private static HandlerRegistration Build<THandler, TInput, TResult>(
        string name,
        Func<HandlerInstance<THandler>> create,
        Func<THandler, TaskSnapshot, CancellationToken, ValueTask>? onOutcome,
        Func<IServiceProvider, HandlerRegistration>? bind)
        where THandler : ITaskHandler<TInput, TResult>
    {
        return new HandlerRegistration(
            name, typeof(THandler), typeof(TInput), typeof(TResult), InvokeAsync, onOutcome is null ? null : InvokeOutcomeAsync, bind);

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

            var instance = create();
            try
            {
                return await instance.Handler.HandleAsync(typed, context).ConfigureAwait(false);
            }
            finally
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }
        }

        async ValueTask InvokeOutcomeAsync(TaskSnapshot task, CancellationToken cancellationToken)
        {
            var instance = create();
            try
            {
                await onOutcome!(instance.Handler, task, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }
        }
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

    private static InvalidOperationException FactoryReturnedNull(string name, Type handlerType) =>
        new($"The factory of task handler '{name}' ({TypeNames.Display(handlerType)}) returned null.");

    /// <summary>Why a registration that <see cref="NeedsServices"/> cannot run, and what to do.</summary>
    internal static string UnboundMessage(string name, Type handlerType) =>
        $"Task handler '{name}' ({TypeNames.Display(handlerType)}) takes services in its constructor, so it runs only once bound to a " +
        "service provider: add it with services.AddWeaverHandlers() to a host set up by services.AddWeaver(...), or use " +
        "registration.WithServices(serviceProvider).";

    private static InvalidOperationException Unbound(string name, Type handlerType) => new(UnboundMessage(name, handlerType));

    /// <summary>A handler created for one invocation, and the service scope it was created in, if any.</summary>
    private readonly record struct HandlerInstance<THandler>(THandler Handler, AsyncServiceScope? Scope)
    {
        /// <summary>Disposes the handler (which its factory created, so no scope tracks it), then its scope.</summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (Handler is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else if (Handler is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
            finally
            {
                if (Scope is { } scope)
                {
                    await scope.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static ArgumentException WrongInput(string name, Type handlerType, Type inputType, object? input) =>
        new(
            $"Task handler '{name}' ({TypeNames.Display(handlerType)}) takes an input of type '{TypeNames.Display(inputType)}', " +
            $"but was given {(input is null ? "null" : $"a '{TypeNames.Display(input.GetType())}'")}; " +
            "submit tasks of this kind with that input type.",
            nameof(input));
}
