using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// Tells the relay at once when the broker refused one of its events. MassTransit 8.5 wraps a nack from RabbitMQ.Client 7
/// (<see cref="RabbitMQ.Client.Exceptions.PublishException"/>) in a connection exception and retries the send in place until the caller gives up,
/// so the relay would only ever see its own timeout — and, taking that for an outage, never spend the event's
/// attempts. Its send observer sees every failed try, though: a nack, or a channel the broker closed because this
/// very message was too large, cancels the pending send and is reported as a refusal of that event.
/// </summary>
internal sealed partial class PublishRefusals : ISendObserver
{
    private readonly ConcurrentDictionary<Guid, Pending> pending = new();

    /// <summary>Tracks a send until the returned scope is disposed; its token is cancelled when the broker refuses it.</summary>
    public Pending Track(Guid messageId, string body, CancellationToken cancellationToken)
    {
        var entry = new Pending(messageId, body, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken), this);
        pending[messageId] = entry;
        return entry;
    }

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class
    {
        if (context.MessageId is { } id && pending.TryGetValue(id, out var entry) && Refusal(exception, () => entry.BodyBytes) is { } refusal)
        {
            entry.Refuse(refusal);
        }

        return Task.CompletedTask;
    }

    public Task PreSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    /// <summary>Why the broker refused this message, when the failure says so; null for anything else (an outage).</summary>
    internal static EventRefusedException? Refusal(Exception exception, Func<int> bodyBytes)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RabbitMQ.Client.Exceptions.PublishException { IsReturn: false } nack:
                    return EventRefusedException.Nack(nack.Message, nack);
                case OperationInterruptedException { ShutdownReason: { ReplyCode: 406 } reason }
                    when TooLarge().Match(reason.ReplyText) is { Success: true } match
                         && long.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture) == bodyBytes():
                    // The broker closes the channel for a message over its max_message_size, naming the size: only
                    // the message of that size is refused; the others on the channel are sent again as usual.
                    return EventRefusedException.Closed(reason.ReplyText, e);
            }
        }

        return null;
    }

    [GeneratedRegex(@"message size (?<size>\d+) is larger than", RegexOptions.CultureInvariant)]
    private static partial Regex TooLarge();

    /// <summary>One send being watched.</summary>
    internal sealed class Pending(Guid messageId, string body, CancellationTokenSource cancellation, PublishRefusals owner) : IDisposable
    {
        private EventRefusedException? refusal;

        /// <summary>The size the broker sees (counted only when a failure names a size).</summary>
        public int BodyBytes => System.Text.Encoding.UTF8.GetByteCount(body);

        public CancellationToken Token => cancellation.Token;

        /// <summary>Why the broker refused the event, once it did.</summary>
        public EventRefusedException? Refused => Volatile.Read(ref refusal);

        public void Refuse(EventRefusedException reason)
        {
            if (Interlocked.CompareExchange(ref refusal, reason, null) is null)
            {
                try
                {
                    cancellation.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The send finished meanwhile.
                }
            }
        }

        public void Dispose()
        {
            owner.pending.TryRemove(new KeyValuePair<Guid, Pending>(messageId, this));
            cancellation.Dispose();
        }
    }
}
