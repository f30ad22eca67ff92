using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Sources;

internal static class SourcesServices
{
    /// <summary>Inbound sources: configured ones validated at start, all of them stored with protected secrets and cached.</summary>
    public static IServiceCollection AddSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SourcesOptions>()
            .Configure<IConfiguration>((options, config) => config.GetSection("Webhooks:Sources").Bind(options.Items))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SourcesOptions>, SourcesOptionsValidator>();

        // The key ring in PostgreSQL (table data_protection_keys) through EF Core, so every instance shares it, encrypted
        // with a certificate where one is configured (KeyRingProtection).
        var dataProtection = services.AddDataProtection().SetApplicationName("Webhooks").PersistKeysToDbContext<WebhooksDbContext>();
        services.AddKeyRingProtection(dataProtection, configuration);
        services.AddSingleton<PostgresSourceStore>();
        services.AddSingleton<ISourceProtector>(sp => sp.GetRequiredService<PostgresSourceStore>());
        services.AddSingleton<DatabaseSourceCatalog>();
        services.AddSingleton<ISourceCatalog>(sp => sp.GetRequiredService<DatabaseSourceCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseSourceCatalog>());
        return services;
    }
}
