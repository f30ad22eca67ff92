using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Samples.OrderConsumer;

/// <summary>A consumer of the gateway's order events (see the README's "Consuming events").</summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddOptions<ConsumerOptions>().BindConfiguration("OrderConsumer").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(
            builder.Configuration.GetConnectionString("Orders") ?? throw new InvalidOperationException("ConnectionStrings:Orders is required.")));
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddHostedService<SchemaCreator>();

        var broker = new Uri(builder.Configuration.GetConnectionString("RabbitMq") ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is required."));
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<OrderEventsConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                var options = context.GetRequiredService<IOptions<ConsumerOptions>>().Value;
                rabbit.ReceiveEndpoint(options.Queue, endpoint =>
                {
                    // The gateway publishes raw CloudEvents JSON, not MassTransit envelopes, to a topic exchange it declares:
                    // read the body as the message, declare no exchanges of MassTransit's own, bind the queue by routing key.
                    endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.Bind(options.Exchange, exchange =>
                    {
                        exchange.ExchangeType = "topic";
                        exchange.RoutingKey = options.BindingKey;
                    });
                    // One at a time: an order's events are handled in the order they were published.
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.UseMessageRetry(retry => retry.Intervals(200, 1000, 5000));
                    endpoint.ConfigureConsumer<OrderEventsConsumer>(context);
                });
            });
        });

        // Start-up returns once the queue is bound and consuming, so "ready" below means events are no longer missed.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options => options.WaitUntilStarted = true);
        builder.Services.AddHostedService<ReadyAnnouncer>();

        await builder.Build().RunAsync();
    }
}
