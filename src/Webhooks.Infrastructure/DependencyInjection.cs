using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Infrastructure.Alerts;
using Webhooks.Infrastructure.Backfill;
using Webhooks.Infrastructure.Compliance;
using Webhooks.Infrastructure.Delivery;
using Webhooks.Infrastructure.Health;
using Webhooks.Infrastructure.Ingestion;
using Webhooks.Infrastructure.Jobs;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Observability;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;
using Webhooks.Infrastructure.Sources;

namespace Webhooks.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Every area, each registered by its own folder. The order is the order their background services start in:
    /// migrations first, then the source cache, the ingest writers, delivery, the bus, the relay, the backfills and the jobs.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddPersistence()
            .AddSources(configuration)
            .AddIngest()
            .AddDelivery()
            .AddMessaging(DeliveryServices.AddConsumers, DeliveryServices.ConfigureEndpoints)
            .AddObservability()
            .AddAlerts()
            .AddRelay()
            .AddCompliance()
            .AddBackfill()
            .AddHealth();
        services.AddSingleton<IRelayObserver, RelayObservation>();
        services.AddSingleton<Application.Tenants.ITenantDirectory, Tenants.PostgresTenantDirectory>();
        HangfireJobs.AddJobs(services, (sp, pool, name) => PostgresDataSources.Build(sp, pool, null, name));
        return services;
    }
}
