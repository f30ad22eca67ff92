using MassTransit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Application.Admin.Stats;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Delivery;
using Webhooks.Infrastructure.Compliance;
using Webhooks.Infrastructure.Delivery;
using Webhooks.Infrastructure.Health;
using Webhooks.Infrastructure.Jobs;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Observability;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;
using Webhooks.Infrastructure.Sources;

namespace Webhooks.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("Webhooks:Database").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IngestOptions>().BindConfiguration("Webhooks:Ingest").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RelayOptions>().BindConfiguration("Webhooks:Relay").ValidateDataAnnotations()
            .Validate(o => o.MaxDelay >= o.InitialDelay, "Webhooks:Relay:MaxDelay must not be shorter than Webhooks:Relay:InitialDelay.")
            .ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration("Webhooks:Retention").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SourcesOptions>()
            .Configure<IConfiguration>((options, config) => config.GetSection("Webhooks:Sources").Bind(options.Items))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SourcesOptions>, SourcesOptionsValidator>();

        // Connection strings are read when first resolved (at start-up), so every configuration source —
        // including a test host's — is in place; a missing one stops start-up naming its key.
        services.AddSingleton(sp => BuildDataSource(sp, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.MaxPoolSize));

        // The relay's own connections commit without waiting for the WAL flush. Everything it writes is bookkeeping
        // that a crash may lose safely: a lost claim is a lease nobody holds, a lost "published" mark re-publishes
        // the event under the same id (delivery is at least once), a lost failure record retries the event. The
        // events themselves are written by ingest, durably, before its 200. See docs/adr/0008.
        services.AddKeyedSingleton(OutboxStore.DataSourceKey, (sp, _) => BuildDataSource(
            sp, Math.Max(10, 2 * sp.GetRequiredService<IOptions<RelayOptions>>().Value.Workers), "-c synchronous_commit=off", "webhooks-relay"));

        services.AddDbContext<WebhooksDbContext>((sp, options) => options.UseNpgsql(
            sp.GetRequiredService<NpgsqlDataSource>(),
            npgsql => npgsql.EnableRetryOnFailure(3)));
        services.AddScoped<IWebhooksDbContext>(sp => sp.GetRequiredService<WebhooksDbContext>());
        services.AddScoped<ITransactionRunner>(sp => new TransactionRunner(new Lazy<WebhooksDbContext>(sp.GetRequiredService<WebhooksDbContext>)));

        services.AddSingleton<MigrationState>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<DatabaseMigrationService>();

        services.AddDataProtection().SetApplicationName("Webhooks");
        // The key ring in PostgreSQL (table data_protection_keys) through EF Core, so every instance shares it.
        services.AddDataProtection().PersistKeysToDbContext<WebhooksDbContext>();
        services.AddSingleton<PostgresSourceStore>();
        services.AddSingleton<ISourceStore>(sp => sp.GetRequiredService<PostgresSourceStore>());
        services.AddSingleton<DatabaseSourceCatalog>();
        services.AddSingleton<ISourceCatalog>(sp => sp.GetRequiredService<DatabaseSourceCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseSourceCatalog>());

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<BatchingInboxWriter>();
        services.AddSingleton<IInboxWriter>(sp => sp.GetRequiredService<BatchingInboxWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<BatchingInboxWriter>());

        AddDelivery(services);

        services.AddSingleton(sp => ParseBroker(Required(sp.GetRequiredService<IConfiguration>(), "ConnectionStrings:RabbitMq")));
        services.AddSingleton<EventsTopology>();
        services.AddSingleton<BrokerProbe>();
        services.AddSingleton<IEventPublisher, CloudEventPublisher>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<OutboundIntakeConsumer>();
            bus.AddConsumer<InboundEventsConsumer>();
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

            var delivery = context.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            if (!delivery.Enabled)
            {
                return;
            }

            // Outbound intake: internal services publish CloudEvents (raw JSON) to webhooks.outbound.
            rabbit.ReceiveEndpoint(delivery.IntakeQueue, endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Durable = delivery.DurableQueues;
                endpoint.AutoDelete = !delivery.DurableQueues;
                endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                endpoint.Bind(delivery.Exchange, exchange =>
                {
                    exchange.ExchangeType = "topic";
                    exchange.RoutingKey = "#";
                });
                endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000));
                endpoint.ConfigureConsumer<OutboundIntakeConsumer>(context);
            });
            if (delivery.ConsumeInboundEvents)
            {
                rabbit.ReceiveEndpoint(delivery.InboundQueue, endpoint =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    endpoint.Durable = delivery.DurableQueues;
                    endpoint.AutoDelete = !delivery.DurableQueues;
                    endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                    endpoint.Bind(context.GetRequiredService<IOptions<RelayOptions>>().Value.Exchange, exchange =>
                    {
                        exchange.ExchangeType = "topic";
                        exchange.RoutingKey = "#";
                    });
                    endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000));
                    endpoint.ConfigureConsumer<InboundEventsConsumer>(context);
                });
            }
        });
        });
        services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(10);
        });

        services.AddSingleton<WebhooksMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<IMetricsExposition>(sp => sp.GetRequiredService<PrometheusExporter>());
        services.AddSingleton<IIngestObserver, IngestObserver>();
        Alerts.AlertServices.AddAlerts(services);
        services.AddSingleton<IngestTally>();
        services.AddHostedService<TracingExporter>();
        services.AddSingleton<IStatsReader, PostgresStatsReader>();
        services.AddHostedService<BacklogSampler>();

        services.AddSingleton<OutboxStore>();
        services.AddSingleton<RelayState>();
        services.AddSingleton<IRelayControl>(sp => sp.GetRequiredService<RelayState>());
        services.AddHostedService<OutboxRelay>();

        services.AddOptions<ComplianceOptions>().BindConfiguration("Webhooks:Compliance").ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<ComplianceRedactor>();

        services.AddSingleton<HealthReporter>(sp => new HealthReporter(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<MigrationState>(),
            sp.GetRequiredService<BrokerProbe>(),
            sp.GetRequiredService<EventsTopology>(),
            sp.GetRequiredService<OutboxStore>(),
            sp.GetRequiredService<RelayState>(),
            sp.GetRequiredService<ISourceCatalog>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Application.Health.IHealthReporter>(sp => sp.GetRequiredService<HealthReporter>());

        HangfireJobs.AddJobs(services, (sp, pool, name) => BuildDataSource(sp, pool, null, name));
        return services;
    }

    /// <summary>Outbound delivery: subscriptions, intake, the guarded HTTP client and the workers.</summary>
    private static void AddDelivery(IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindConfiguration("Webhooks:Delivery").ValidateDataAnnotations()
            .Validate(o => o.RetrySchedule.All(d => d > TimeSpan.Zero), "Webhooks:Delivery:RetrySchedule must list positive delays.")
            .Validate(o => o.PublisherKeys.All(k => k.Length >= 32), "Every Webhooks:Delivery:PublisherKeys entry must be at least 32 characters.")
            .ValidateOnStart();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<PostgresDeliveryStore>();
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<PostgresDeliveryStore>());
        services.AddSingleton<DestinationGuard>();
        services.AddSingleton<IDestinationGuard>(sp => sp.GetRequiredService<DestinationGuard>());
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<ISubscriptionTester, SubscriptionTester>();
        services.AddSingleton<IDeliveryCapabilities, DeliveryCapabilities>();
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
    }

    private static NpgsqlDataSource BuildDataSource(IServiceProvider sp, int maxPoolSize, string? options = null, string? name = null)
    {
        var builder = new NpgsqlDataSourceBuilder(Required(sp.GetRequiredService<IConfiguration>(), "ConnectionStrings:Webhooks"));
        var settings = builder.ConnectionStringBuilder;
        settings.MaxPoolSize = maxPoolSize;
        settings.MaxAutoPrepare = settings.MaxAutoPrepare == 0 ? 32 : settings.MaxAutoPrepare;
        settings.Timeout = settings.Timeout == 15 ? 3 : settings.Timeout;
        settings.ApplicationName = name ?? settings.ApplicationName ?? "webhooks";
        if (options is not null)
        {
            settings.Options = string.IsNullOrEmpty(settings.Options) ? options : $"{settings.Options} {options}";
        }

        return builder.Build();
    }

    private static string Required(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value)
            ? throw new OptionsValidationException(key, typeof(string), [$"{key} is not set."])
            : value;
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
