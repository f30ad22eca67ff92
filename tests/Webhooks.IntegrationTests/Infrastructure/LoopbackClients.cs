using System.Net;
using System.Net.Sockets;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>Clients that connect from a chosen loopback address (any 127.x reaches a loopback listener).</summary>
internal static class LoopbackClients
{
    public static HttpClient From(string from, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
