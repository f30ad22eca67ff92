using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Application.Delivery;
using Webhooks.Application.Delivery.Sending;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Relay;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Infrastructure.Delivery;

internal static class DeliveryServices
{
    /// <summary>Outbound delivery: subscriptions, intake, the guarded HTTP client and the workers.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration("Webhooks:Delivery").ValidateDataAnnotations()
            .Validate(o => o.PublisherKeys.All(k => k.Length >= 32), "Every Webhooks:Delivery:PublisherKeys entry must be at least 32 characters.")
            .ValidateOnStart();
        services.AddOptions<DeliveryRules>().BindConfiguration("Webhooks:Delivery").ValidateDataAnnotations()
            .Validate(o => o.RetrySchedule.All(d => d > TimeSpan.Zero), "Webhooks:Delivery:RetrySchedule must list positive delays.")
            .ValidateOnStart();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<IDeliveryWakeUps>(sp => sp.GetRequiredService<DeliverySignal>());
        services.AddSingleton<IDeliveryIntake, PostgresDeliveryIntake>();
        services.AddSingleton<SubscriptionProtector>();
        services.AddSingleton<ISubscriptionProtector>(sp => sp.GetRequiredService<SubscriptionProtector>());
        services.AddSingleton<IDeliveryClaims, DeliveryClaims>();
        services.AddSingleton<IDeliveryResultStore, PostgresDeliveryResults>();
        services.AddSingleton<IDeliveryObserver, Observability.DeliveryObserver>();
        services.AddSingleton<DestinationGuard>();
        services.AddSingleton<IDestinationGuard>(sp => sp.GetRequiredService<DestinationGuard>());
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<IEndpointSender>(sp => sp.GetRequiredService<DeliverySender>());
        services.AddSingleton<IDeliveryCapabilities, DeliveryCapabilities>();
        services.AddSingleton<IUnusedQueues, UnusedInboundQueue>();
        services.AddHttpClient(DeliverySender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy (HTTPS_PROXY) would make the guard approve the proxy's address instead of the destination's.
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                MaxConnectionsPerServer = 16,
                ConnectCallback = (connection, token) => sp.GetRequiredService<DestinationGuard>().ConnectAsync(connection.DnsEndPoint, token),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHostedService<DeliveryWorker>();
        return services;
    }

    /// <summary>The bus consumers outbound delivery brings (see <see cref="ConfigureEndpoints"/>).</summary>
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OutboundIntakeConsumer>();
        bus.AddConsumer<InboundEventsConsumer>();
    }

    /// <summary>
    /// Outbound intake: internal services publish CloudEvents to webhooks.outbound; subscriptions that opt in also
    /// receive the inbound-mapped events of the events exchange. Nothing is consumed while delivery is off.
    /// </summary>
    public static void ConfigureEndpoints(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator rabbit)
    {
        var delivery = context.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        if (!delivery.Enabled)
        {
            return;
        }

        rabbit.ReceiveRawJsonFromTopic<OutboundIntakeConsumer>(context, delivery.IntakeQueue, delivery.Exchange, delivery.DurableQueues);
        if (delivery.ConsumeInboundEvents)
        {
            var events = context.GetRequiredService<IOptions<RelayOptions>>().Value.Exchange;
            rabbit.ReceiveRawJsonFromTopic<InboundEventsConsumer>(context, delivery.InboundQueue, events, delivery.DurableQueues);
        }
    }
}
