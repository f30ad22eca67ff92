using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Admin.Stats;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Observability;

internal static class ObservabilityServices
{
    /// <summary>Metrics and their Prometheus exposition, ingest counting, statistics and the backlog sampler (tracing: <see cref="TracingServices"/>).</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<WebhooksMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<IMetricsExposition>(sp => sp.GetRequiredService<PrometheusExporter>());
        services.AddSingleton<IIngestObserver, IngestObserver>();
        services.AddSingleton<IngestTally>();
        services.AddSingleton<IStatsReader, PostgresStatsReader>();
        services.AddHostedService<BacklogSampler>();

        // The per-minute figures every instance adds to (ingest outcomes, relay and delivery figures): alerts and charts read them.
        services.AddOptions<MinuteFiguresOptions>().BindConfiguration("Webhooks:Alerts").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GatewayMinutes>();
        services.AddSingleton<IngestMinutes>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestMinutes>());
        services.AddSingleton<Application.Admin.Alerts.IMinuteFigures>(sp => sp.GetRequiredService<IngestMinutes>());
        return services;
    }
}
