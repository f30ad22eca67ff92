using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Ingestion;

internal static class IngestServices
{
    /// <summary>The ingest hot path: concurrent webhooks and their outbox rows committed together in batches.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>().BindConfiguration("Webhooks:Ingest").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BatchingInboxWriter>();
        services.AddSingleton<IInboxWriter>(sp => sp.GetRequiredService<BatchingInboxWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<BatchingInboxWriter>());
        return services;
    }
}
