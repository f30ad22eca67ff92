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

    /// <summary>
    /// Warns about forwarded headers from peers that are not configured proxies, then adds the forwarded-headers step
    /// when proxies are configured.
    /// </summary>
    public static IApplicationBuilder UseKnownProxies(this IApplicationBuilder app)
    {
        app.UseMiddleware<UntrustedForwardingWarning>();
        return app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.KnownProxies.Count == 0 ? app : app.UseForwardedHeaders();
    }
}

/// <summary>
/// A request carrying X-Forwarded-For from a peer that is no configured proxy is most likely a proxy nobody told the
/// gateway about: every client then shares the proxy's address, so per-client limits (the failure throttle, the
/// unverified-body share) act on all clients at once. Such headers are ignored — a client must not choose its own
/// address — and a loud warning says so, at most once every ten minutes.
/// </summary>
internal sealed partial class UntrustedForwardingWarning(RequestDelegate next, IOptions<ProxyOptions> options, TimeProvider clock, ILogger<UntrustedForwardingWarning> logger)
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);
    private readonly System.Net.IPNetwork[] proxies = [.. options.Value.KnownProxies.Select(Networks.Parse).OfType<System.Net.IPNetwork>()];
    private long nextWarning;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey("X-Forwarded-For") && context.Connection.RemoteIpAddress is { } peer
            && !proxies.Any(p => p.Contains(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer)))
        {
            var now = clock.GetUtcNow().UtcTicks;
            var due = Interlocked.Read(ref nextWarning);
            if (now >= due && Interlocked.CompareExchange(ref nextWarning, now + Every.Ticks, due) == due)
            {
                LogUntrusted(logger, peer.ToString());
            }
        }

        return next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "X-Forwarded-For arrived from {Peer}, which is not in Webhooks:ForwardedHeaders:KnownProxies: the header is ignored, so every client behind that proxy shares its address for rate limits, the failure throttle and the unverified-body budget. Configure the proxy's address if it is one of yours (this warning repeats at most every 10 minutes)")]
    private static partial void LogUntrusted(ILogger logger, string peer);
}
