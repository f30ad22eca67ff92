using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Infrastructure.Compliance;

internal static class ComplianceServices
{
    /// <summary>The redaction of stored bodies that Shopify's compliance topics ask for.</summary>
    public static IServiceCollection AddCompliance(this IServiceCollection services)
    {
        services.AddOptions<ComplianceOptions>().BindConfiguration("Webhooks:Compliance").ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<ComplianceRedactor>();
        return services;
    }
}
