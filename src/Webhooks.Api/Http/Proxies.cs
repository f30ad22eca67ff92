using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Webhooks.Application.Sources;

namespace Webhooks.Api.Http;

/// <summary>
/// Webhooks:ForwardedHeaders:KnownProxies — the addresses or CIDR ranges of the reverse proxies in front of the
/// service. X-Forwarded-For and X-Forwarded-Proto are honoured only when the connection comes from one of them (and
/// only as far back along the chain as the hops are known proxies); with none configured they are ignored, so a
/// client cannot pick the address that rate limits and AllowedIps see.
/// </summary>
public sealed class ProxyOptions
{
    public List<string> KnownProxies { get; set; } = [];
}

internal static class Proxies
{
    public static IServiceCollection AddKnownProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration("Webhooks:ForwardedHeaders")
            .Validate(o => o.KnownProxies.All(p => Networks.Parse(p) is not null),
                "Webhooks:ForwardedHeaders:KnownProxies must list IP addresses or CIDR ranges such as 10.0.0.0/8.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in proxies.Value.KnownProxies.Select(Networks.Parse).OfType<System.Net.IPNetwork>())
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>Adds the forwarded-headers step only when proxies are configured.</summary>
    public static IApplicationBuilder UseKnownProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.KnownProxies.Count == 0 ? app : app.UseForwardedHeaders();
}
