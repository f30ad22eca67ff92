using System.Text;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// The relay's publisher on RabbitMQ.Client itself (ADR 0008): a few channels with publisher confirms tracked per
/// message, used in turn, so many publishes are outstanding at once without MassTransit's per-message pipeline. Same
/// message as <see cref="CloudEventPublisher"/>: routing key and AMQP type = event type, message id = CloudEvent id,
/// correlation id, persistent, content type application/cloudevents+json, body = the stored CloudEvent.
/// The connection recovers by itself; while it is down publishes fail fast and the relay waits for the broker.
/// </summary>
internal sealed class DirectEventPublisher(BrokerAddress broker, IOptions<RelayOptions> options) : IEventPublisher, IAsyncDisposable
{
    private readonly RelayOptions settings = options.Value;
    private readonly SemaphoreSlim opening = new(1, 1);
    private IConnection? connection;
    private IChannel[] channels = [];
    private int next;

    public async Task PublishAsync(ClaimedEvent message, CancellationToken cancellationToken)
    {
        var all = channels.Length > 0 && connection is { IsOpen: true } ? channels : await OpenAsync(cancellationToken);
        var channel = all[(int)((uint)Interlocked.Increment(ref next) % (uint)all.Length)];
        var properties = new BasicProperties
        {
            MessageId = message.Id.ToString(),
            CorrelationId = message.CorrelationId,
            Type = message.EventType,
            ContentType = Application.Ingestion.CloudEventEnvelope.ContentType,
            DeliveryMode = DeliveryModes.Persistent,
        };
        try
        {
            await channel.BasicPublishAsync(settings.Exchange, message.EventType, settings.Mandatory, properties, Encoding.UTF8.GetBytes(message.Envelope), cancellationToken);
        }
        catch (PublishException ex)
        {
            throw new EventRefusedException(ex.IsReturn, ex.Message, ex);
        }
    }

    private async Task<IChannel[]> OpenAsync(CancellationToken cancellationToken)
    {
        await opening.WaitAsync(cancellationToken);
        try
        {
            if (channels.Length > 0 && connection is { IsOpen: true })
            {
                return channels;
            }

            await CloseAsync();
            var factory = new ConnectionFactory
            {
                HostName = broker.Host,
                Port = broker.Port,
                VirtualHost = broker.VirtualHost,
                UserName = broker.Username,
                Password = broker.Password,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
                AutomaticRecoveryEnabled = true,
                NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
                ClientProvidedName = "webhooks-relay",
            };
            if (broker.Tls)
            {
                factory.Ssl = new SslOption { Enabled = true, ServerName = broker.Host };
            }

            connection = await factory.CreateConnectionAsync(cancellationToken);
            var opened = new IChannel[settings.Channels];
            for (var i = 0; i < opened.Length; i++)
            {
                opened[i] = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, outstandingPublisherConfirmationsRateLimiter: null),
                    cancellationToken);
            }

            channels = opened;
            return opened;
        }
        finally
        {
            opening.Release();
        }
    }

    private async Task CloseAsync()
    {
        foreach (var channel in channels)
        {
            await channel.DisposeAsync();
        }

        channels = [];
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        opening.Dispose();
    }
}
