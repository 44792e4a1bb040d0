using Microsoft.Extensions.Logging;
using Npgsql;

namespace Weaver.PostgreSql;

/// <summary>
/// The store's one listening connection: <c>LISTEN</c> on the store's channel, and a pulse to every waiter on each
/// notification. A lost connection is opened again with backoff; since notifications sent meanwhile are lost, waiters
/// are pulsed once it listens again (a hint to claim, never a promise).
/// </summary>
internal sealed class WorkListener : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly PostgreSqlReconnectOptions _reconnect;
    private readonly Func<double> _jitter;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _notifications;

    public WorkListener(NpgsqlDataSource dataSource, string channel, PostgreSqlReconnectOptions reconnect, Func<double> jitter, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = channel;
        _reconnect = reconnect;
        _jitter = jitter;
        _logger = logger;
    }

    /// <summary>Completes at the next notification (or reconnection); take it before checking for work, then await it.</summary>
    public Task NextPulse => Volatile.Read(ref _pulse).Task;

    /// <summary>How many notifications arrived, for tests and diagnostics.</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>Starts listening and returns once the first <c>LISTEN</c> took effect, so nothing sent after it is missed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        await _firstListen.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        Pulse();
    }

    private async Task RunAsync()
    {
        var failures = 0;
        var firstTry = TimeProvider.System.GetTimestamp();
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                if (failures > 0)
                {
                    Log.ListenerReconnected(_logger, _channel, failures);
                    Pulse(); // notifications sent while it was down are lost: let waiters look for themselves
                }

                failures = 0;
                _firstListen.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                failures++;
                if (!_firstListen.Task.IsCompleted && failures > _reconnect.MaxRetries)
                {
                    _firstListen.TrySetException(new PostgreSqlStoreUnavailableException(
                        $"listen on channel '{_channel}'", failures, TimeProvider.System.GetElapsedTime(firstTry), error));
                    return;
                }

                var delay = _reconnect.DelayBefore(Math.Min(failures, 30), _jitter());
                Log.ListenerLost(_logger, error, _channel, failures, delay);
                try
                {
                    await Task.Delay(delay, TimeProvider.System, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        Interlocked.Increment(ref _notifications);
        Pulse();
    }

    private void Pulse()
    {
        var fired = Interlocked.Exchange(ref _pulse, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
