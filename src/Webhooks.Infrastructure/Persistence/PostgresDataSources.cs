using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Connection pools on ConnectionStrings:Webhooks: the shared one, the relay's, Hangfire's.</summary>
internal static class PostgresDataSources
{
    public static NpgsqlDataSource Build(IServiceProvider sp, int maxPoolSize, string? options = null, string? name = null)
    {
        var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IConfiguration>().Required("ConnectionStrings:Webhooks"));
        var settings = builder.ConnectionStringBuilder;
        settings.MaxPoolSize = maxPoolSize;
        settings.MaxAutoPrepare = settings.MaxAutoPrepare == 0 ? 32 : settings.MaxAutoPrepare;
        settings.Timeout = settings.Timeout == 15 ? 3 : settings.Timeout;
        settings.ApplicationName = name ?? settings.ApplicationName ?? "webhooks";
        if (options is not null)
        {
            settings.Options = string.IsNullOrEmpty(settings.Options) ? options : $"{settings.Options} {options}";
        }

        return builder.Build();
    }
}
