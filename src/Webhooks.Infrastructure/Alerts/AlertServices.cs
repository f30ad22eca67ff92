using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Admin.Alerts;
using Webhooks.Application.Admin.Traffic;

namespace Webhooks.Infrastructure.Alerts;

internal static class AlertServices
{
    /// <summary>Alerts and their inputs: the shared per-minute ingest counts, the evaluator's store, the traffic reader.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration("Webhooks:Alerts").ValidateDataAnnotations()
            .Validate(o => o.RejectionCritical >= o.RejectionWarning, "Webhooks:Alerts:RejectionCritical must not be below RejectionWarning.")
            .ValidateOnStart();
        services.AddScoped<IAlertStore, PostgresAlertStore>();
        services.AddSingleton<ITrafficReader, PostgresTrafficReader>();
        return services;
    }
}
