using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Messaging;

internal static class MessagingServices
{
    /// <summary>
    /// RabbitMQ: the broker address, the events exchange, the probe health reads, the publisher, and the MassTransit
    /// bus with publisher confirms. The consumers and their endpoints come from the features that consume.
    /// </summary>
    public static IServiceCollection AddMessaging(
        this IServiceCollection services,
        Action<IBusRegistrationConfigurator> addConsumers,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> configureEndpoints)
    {
        services.AddSingleton(sp => ParseBroker(sp.GetRequiredService<IConfiguration>().Required("ConnectionStrings:RabbitMq")));
        // The same keys the relay reads (Webhooks:Relay), bound here too so publishing needs nothing from the relay.
        services.AddOptions<EventsExchangeOptions>().BindConfiguration("Webhooks:Relay").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventsTopology>();
        services.AddSingleton<BrokerProbe>();
        services.AddHealthChecks().AddRabbitMQ(
            sp => sp.GetRequiredService<BrokerProbe>().ConnectionAsync(CancellationToken.None), name: BrokerProbe.HealthCheckName, timeout: TimeSpan.FromSeconds(1));
        services.AddSingleton<PublishRefusals>();
        services.AddSingleton<IEventPublisher, CloudEventPublisher>();
        services.AddMassTransit(bus =>
        {
            addConsumers(bus);
            bus.AddSendObserver(sp => sp.GetRequiredService<PublishRefusals>());
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var broker = context.GetRequiredService<BrokerAddress>();
                rabbit.Host(broker.Host, (ushort)broker.Port, broker.VirtualHost, "webhooks", host =>
                {
                    host.Username(broker.Username);
                    host.Password(broker.Password);
                    host.PublisherConfirmation = true;
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                    if (broker.Tls)
                    {
                        host.UseSsl(ssl => ssl.ServerName = broker.Host);
                    }
                });
                configureEndpoints(context, rabbit);
            });
        });
        services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(10);
        });
        return services;
    }

    /// <summary>
    /// A queue of ours bound to every routing key of a topic exchange, taking raw JSON (CloudEvents, no MassTransit
    /// envelope) for <typeparamref name="TConsumer"/>; a consumer that throws is retried a few times in place first.
    /// </summary>
    public static void ReceiveRawJsonFromTopic<TConsumer>(
        this IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context, string queue, string exchange, bool durable)
        where TConsumer : class, IConsumer
    {
        rabbit.ReceiveEndpoint(queue, endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.Durable = durable;
            endpoint.AutoDelete = !durable;
            endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
            endpoint.Bind(exchange, binding =>
            {
                binding.ExchangeType = "topic";
                binding.RoutingKey = "#";
            });
            endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000));
            endpoint.ConfigureConsumer<TConsumer>(context);
        });
    }

    private static BrokerAddress ParseBroker(string uri)
    {
        try
        {
            return BrokerAddress.Parse(uri);
        }
        catch (FormatException ex)
        {
            throw new OptionsValidationException("ConnectionStrings:RabbitMq", typeof(string), [ex.Message]);
        }
    }
}
