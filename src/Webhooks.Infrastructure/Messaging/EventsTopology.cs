using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Infrastructure.Delivery;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// Declares the topic exchange the contract names (durable, no arguments), idempotently. When inbound events are not
/// consumed for delivery, it also unbinds a durable inbound queue left from a time they were: nobody reads that queue
/// any more, and bound it would keep a copy of every event for ever.
/// </summary>
internal sealed partial class EventsTopology(
    BrokerAddress broker,
    IOptions<RelayOptions> options,
    IOptions<DeliveryOptions> delivery,
    ILogger<EventsTopology> logger)
{
    private volatile bool declared;

    public bool Declared => declared;

    public async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.Username,
            Password = broker.Password,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            ClientProvidedName = "webhooks-topology",
        };
        if (broker.Tls)
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = broker.Host };
        }

        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(options.Value.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        if (!delivery.Value.Enabled || !delivery.Value.ConsumeInboundEvents)
        {
            await UnbindAbandonedInboundQueueAsync(connection, cancellationToken);
        }

        declared = true;
        LogDeclared(logger, options.Value.Exchange);
    }

    private async Task UnbindAbandonedInboundQueueAsync(IConnection connection, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel (404), hence a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        QueueDeclareOk queue;
        try
        {
            queue = await channel.QueueDeclarePassiveAsync(delivery.Value.InboundQueue, cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return;
        }

        await channel.QueueUnbindAsync(delivery.Value.InboundQueue, options.Value.Exchange, "#", arguments: null, cancellationToken);
        LogInboundQueueUnbound(logger, delivery.Value.InboundQueue, options.Value.Exchange, queue.MessageCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared topic exchange {Exchange}")]
    private static partial void LogDeclared(ILogger logger, string exchange);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound events are not consumed for delivery (Webhooks:Delivery:ConsumeInboundEvents): unbound queue {Queue} from {Exchange}; it still holds {Messages} messages, delete it when they are not needed")]
    private static partial void LogInboundQueueUnbound(ILogger logger, string queue, string exchange, uint messages);
}
