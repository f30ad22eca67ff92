using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Webhooks.Application.Delivery;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// The SSRF rule: a destination that resolves to a loopback, private, link-local, unique-local, CGNAT, multicast,
/// unspecified or cloud-metadata address is refused unless Webhooks:Delivery:AllowPrivateNetworks; http:// is refused
/// unless AllowHttp. Checked at creation and again at every connection (DNS can change): the delivery client connects
/// only to an address this guard has just approved.
/// </summary>
internal sealed class DestinationGuard(IOptions<DeliveryOptions> options) : IDestinationGuard
{
    private static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"),
        // Addresses that carry an IPv4 address inside (IPv4-compatible, 6to4, Teredo) and the deprecated site-local range.
        IPNetwork.Parse("::/96"), IPNetwork.Parse("2002::/16"), IPNetwork.Parse("2001::/32"), IPNetwork.Parse("fec0::/10"),
    ];

    public static bool IsForbidden(IPAddress address)
    {
        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Forbidden.Any(network => network.BaseAddress.AddressFamily == candidate.AddressFamily && network.Contains(candidate));
    }

    public async Task<string?> RefuseAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "url must be an absolute http(s) URL.";
        }

        if (uri.Scheme == "http" && !options.Value.AllowHttp)
        {
            return "url must use https (http:// destinations are refused unless Webhooks:Delivery:AllowHttp is true).";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must not carry credentials; use custom headers instead.";
        }

        if (options.Value.AllowPrivateNetworks)
        {
            return null;
        }

        try
        {
            var addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
            return addresses.FirstOrDefault(IsForbidden) is { } bad
                ? $"url resolves to {bad}, a loopback, private, link-local or metadata address; such destinations are refused."
                : null;
        }
        catch (SocketException ex)
        {
            return $"url's host '{uri.Host}' could not be resolved ({ex.SocketErrorCode}).";
        }
    }

    /// <summary>Connects to the first approved address of the host, for the delivery client's ConnectCallback.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken);
        var allowed = options.Value.AllowPrivateNetworks ? addresses : addresses.Where(a => !IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"Destination refused: {endpoint.Host} resolves only to loopback, private, link-local or metadata addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
}
