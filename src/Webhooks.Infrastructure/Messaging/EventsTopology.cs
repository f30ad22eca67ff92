using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>Declares the topic exchange the contract names (durable, no arguments), idempotently.</summary>
internal sealed partial class EventsTopology(BrokerAddress broker, IOptions<RelayOptions> options, ILogger<EventsTopology> logger)
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
        declared = true;
        LogDeclared(logger, options.Value.Exchange);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared topic exchange {Exchange}")]
    private static partial void LogDeclared(ILogger logger, string exchange);
}
