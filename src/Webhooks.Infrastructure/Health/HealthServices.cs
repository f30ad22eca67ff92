using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Health;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Health;

internal static class HealthServices
{
    /// <summary>The health report over the database, the broker, the relay and the sources.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<HealthReporter>(sp => new HealthReporter(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<MigrationState>(),
            sp.GetRequiredService<BrokerProbe>(),
            sp.GetRequiredService<EventsTopology>(),
            sp.GetRequiredService<OutboxStore>(),
            sp.GetRequiredService<RelayState>(),
            sp.GetRequiredService<ISourceCatalog>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHealthReporter>(sp => sp.GetRequiredService<HealthReporter>());
        return services;
    }
}
