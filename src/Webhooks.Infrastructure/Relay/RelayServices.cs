using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Relay;

internal static class RelayServices
{
    /// <summary>The outbox relay: its own connection pool, its state (pause, resume) and the publishing loop.</summary>
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration("Webhooks:Relay").ValidateDataAnnotations()
            .Validate(o => o.MaxDelay >= o.InitialDelay, "Webhooks:Relay:MaxDelay must not be shorter than Webhooks:Relay:InitialDelay.")
            .ValidateOnStart();

        // The relay's own connections commit without waiting for the WAL flush. Everything it writes is bookkeeping
        // that a crash may lose safely: a lost claim is a lease nobody holds, a lost "published" mark re-publishes
        // the event under the same id (delivery is at least once), a lost failure record retries the event. The
        // events themselves are written by ingest, durably, before its 200. See docs/adr/0008.
        services.AddKeyedSingleton(OutboxStore.DataSourceKey, (sp, _) => PostgresDataSources.Build(
            sp, Math.Max(10, 2 * sp.GetRequiredService<IOptions<RelayOptions>>().Value.Workers), "-c synchronous_commit=off", "webhooks-relay"));

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<RelayState>();
        services.AddSingleton<IRelayControl>(sp => sp.GetRequiredService<RelayState>());
        services.AddHostedService<OutboxRelay>();
        return services;
    }
}
