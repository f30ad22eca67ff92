using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Health;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Infrastructure.Health;

internal static class HealthServices
{
    /// <summary>
    /// The health report over the database, the broker, the relay and the sources: ASP.NET Core health checks
    /// (AspNetCore.HealthChecks.NpgSql here, .Rabbitmq beside the broker probe) behind the report's own shape.
    /// </summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: HealthReporter.DatabaseCheck, timeout: TimeSpan.FromSeconds(2));
        services.AddSingleton<HealthReporter>(sp => new HealthReporter(
            sp.GetRequiredService<HealthCheckService>(),
            sp.GetRequiredService<MigrationState>(),
            sp.GetRequiredService<BrokerProbe>(),
            sp.GetRequiredService<EventsTopology>(),
            sp.GetRequiredService<OutboxStore>(),
            sp.GetRequiredService<RelayState>(),
            sp.GetRequiredService<ISourceCatalog>(),
            sp.GetRequiredService<Sources.KeyRingState>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHealthReporter>(sp => sp.GetRequiredService<HealthReporter>());
        return services;
    }
}
