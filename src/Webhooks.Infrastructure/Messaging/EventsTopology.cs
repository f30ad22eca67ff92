using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// Declares the topic exchange the contract names (durable, no arguments), idempotently. It also unbinds from it the
/// queues a feature says nobody reads any more (<see cref="IUnusedQueues"/>), such as a durable inbound queue left from
/// a time inbound events were consumed for delivery: bound, it would keep a copy of every event for ever.
/// </summary>
internal sealed partial class EventsTopology(
    BrokerAddress broker,
    IOptions<EventsExchangeOptions> options,
    IEnumerable<IUnusedQueues> unused,
    ILogger<EventsTopology> logger)
{
    private volatile bool declared;

    public bool Declared => declared;

    public async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var factory = broker.Factory("webhooks-topology", TimeSpan.FromSeconds(5));
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(options.Value.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        foreach (var queue in unused.SelectMany(u => u.Queues))
        {
            await UnbindAbandonedQueueAsync(connection, queue, cancellationToken);
        }

        declared = true;
        LogDeclared(logger, options.Value.Exchange);
    }

    private async Task UnbindAbandonedQueueAsync(IConnection connection, string name, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel (404), hence a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        QueueDeclareOk queue;
        try
        {
            queue = await channel.QueueDeclarePassiveAsync(name, cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return;
        }

        await channel.QueueUnbindAsync(name, options.Value.Exchange, "#", arguments: null, cancellationToken);
        LogInboundQueueUnbound(logger, name, options.Value.Exchange, queue.MessageCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared topic exchange {Exchange}")]
    private static partial void LogDeclared(ILogger logger, string exchange);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nobody reads queue {Queue} any more (for inbound events, see Webhooks:Delivery:ConsumeInboundEvents): unbound it from {Exchange}; it still holds {Messages} messages, delete it when they are not needed")]
    private static partial void LogInboundQueueUnbound(ILogger logger, string queue, string exchange, uint messages);
}

/// <summary>Queues a feature no longer reads, to be unbound from the events exchange (their messages are left alone).</summary>
internal interface IUnusedQueues
{
    IEnumerable<string> Queues { get; }
}

/// <summary>Webhooks:Relay's Exchange and Mandatory (docs/contract.md, Events on RabbitMQ): where events are published, and how.</summary>
internal sealed class EventsExchangeOptions
{
    public const string DefaultExchange = "webhooks.events";

    [Required]
    public string Exchange { get; set; } = DefaultExchange;

    /// <summary>When true, unroutable events are returned by the broker and retried like nacks.</summary>
    public bool Mandatory { get; set; }
}
