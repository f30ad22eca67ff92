using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Backfill;
using Webhooks.Infrastructure.Delivery;

namespace Webhooks.Infrastructure.Backfill;

internal static class BackfillServices
{
    /// <summary>
    /// Recovering what providers never resend: the sources' backfill state, the providers' API clients on a guarded HTTP
    /// client (the delivery client's destination rules), the scheduler and the "run now" job.
    /// </summary>
    public static IServiceCollection AddBackfill(this IServiceCollection services)
    {
        services.AddOptions<BackfillOptions>().BindConfiguration("Webhooks:Backfill").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PostgresBackfillStore>();
        services.AddSingleton<IBackfillStore>(sp => sp.GetRequiredService<PostgresBackfillStore>());
        services.AddSingleton<BackfillHttp>();
        services.AddSingleton<IBackfillApis, BackfillApis>();
        services.AddSingleton<IBackfillObserver, Observability.BackfillObserver>();
        services.AddSingleton<IBackfillJobScheduler, HangfireBackfillScheduler>();
        services.AddHttpClient(BackfillHttp.ClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each request has Webhooks:Backfill:RequestTimeout
                client.MaxResponseContentBufferSize = 32 * 1024 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy (HTTPS_PROXY) would make the guard approve the proxy's address instead of the provider's.
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = (connection, token) => sp.GetRequiredService<DestinationGuard>().ConnectAsync(connection.DnsEndPoint, token),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHostedService<BackfillScheduler>();
        return services;
    }
}
