using System;
using System.Threading;
using System.Threading.Tasks;
using Weaver;

namespace Demo.Services
{
    public interface IMailer
    {
        ValueTask SendAsync(string to, string text, CancellationToken cancellationToken);
    }

    public interface IAuditLog
    {
        void Write(string line);
    }

    public sealed record Notice(string To, string Text);

    /// <summary>Takes its services from dependency injection: a required mailer and an optional audit log.</summary>
    [TaskHandler("notify")]
    public sealed partial class NotifyHandler(IMailer mailer, IAuditLog? audit) : ITaskHandler<Notice, bool>
    {
        public async ValueTask<bool> HandleAsync(Notice input, TaskContext context)
        {
            await mailer.SendAsync(input.To, input.Text, context.CancellationToken);
            audit?.Write($"sent to {input.To}");
            return true;
        }

        [OnOutcome(TaskLifecycle.State.Succeeded)]
        [OnOutcome(TaskLifecycle.State.Dead)]
        [OnOutcome(TaskLifecycle.State.Cancelled)]
        private void Record(TaskSnapshot task) => audit?.Write($"{task.Id} ended {task.State}");
    }

    /// <summary>Created with 'new': RegisterAll adds it, and so does AddWeaverHandlers.</summary>
    [TaskHandler("ping")]
    public sealed partial class PingHandler : ITaskHandler<string, string>
    {
        public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input);
    }
}
