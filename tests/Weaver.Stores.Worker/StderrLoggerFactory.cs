using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Weaver.Stores.Worker;

/// <summary>
/// Logs warnings and errors of the worker group and the store to stderr, one line each (with the exception's type and
/// message), prefixed by the worker's name, so a test that fails can show what its workers went through.
/// </summary>
internal sealed class StderrLoggerFactory(string workerName, TimeProvider time) : ILoggerFactory
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("The store test worker logs to stderr only; it takes no other logger providers.");

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, string message, Exception? error)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():HH:mm:ss.fff} {workerName} {level} {category}: {message}");
        if (error is not null)
        {
            line += $" [{error.GetType().Name}: {error.Message}]";
        }

        lock (_gate)
        {
            Console.Error.WriteLine(line.Replace('\n', ' ').Replace('\r', ' '));
        }
    }

    private sealed class StderrLogger(StderrLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                factory.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
