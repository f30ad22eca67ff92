using System.Net;

namespace Webhooks.Application.Sources;

/// <summary>Reads an address list entry: a CIDR range, or a single address (a range of one).</summary>
public static class Networks
{
    public static IPNetwork? Parse(string? entry)
    {
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        return IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }
}
