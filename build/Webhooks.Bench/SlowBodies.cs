using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Webhooks.Application.Providers.Shopify;

namespace Webhooks.Bench;

/// <summary>
/// The slow-body attack, bounded and on loopback only: <c>connections</c> sockets from one address (127.0.0.2) each
/// announce a 10 MiB body and trickle <c>rate</c> bytes a second for <c>seconds</c>, while another address
/// (127.0.0.3) sends one signed Shopify delivery a second. Prints the signed deliveries' answers and how many
/// trickling connections the server was still holding at the end.
/// </summary>
internal static class SlowBodies
{
    public static async Task<int> RunAsync(Options options)
    {
        var api = new Uri(options.Get("api"));
        var secret = options.Get("secret");
        var connections = options.Int("connections", 2000);
        var seconds = options.Int("seconds", 30);
        var rate = options.Int("rate", 2048);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));

        var held = 0;
        var trickles = Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            try
            {
                await socket.ConnectAsync(api.Host, api.Port);
                var head = $"POST /api/v1/webhooks/shopify HTTP/1.1\r\nHost: {api.Authority}\r\nContent-Type: application/json\r\n"
                    + $"Content-Length: {10 * 1024 * 1024}\r\nX-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: AAAA\r\n\r\n";
                await socket.SendAsync(Encoding.ASCII.GetBytes(head));
                Interlocked.Increment(ref held);
                var chunk = new byte[rate];
                chunk.AsSpan().Fill((byte)' ');
                while (!stop.IsCancellationRequested)
                {
                    await socket.SendAsync(chunk, SocketFlags.None, stop.Token);
                    await Task.Delay(1000, stop.Token);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
            {
                // Refused, reset or finished: what the server did is counted by what it still holds.
            }
            finally
            {
                if (socket.Connected && stop.IsCancellationRequested)
                {
                    Interlocked.Decrement(ref held);
                }
            }
        })).ToList();

        using var signed = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(15) };
        int ok = 0, failed = 0;
        var slowest = 0.0;
        var id = Random.Shared.NextInt64(1, long.MaxValue / 2);
        while (!stop.IsCancellationRequested)
        {
            var body = Encoding.UTF8.GetBytes($"{{\"id\":{id++},\"name\":\"#slow\",\"total_price\":\"1.00\",\"currency\":\"EUR\"}}");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/shopify") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
            request.Headers.Add("X-Shopify-Hmac-Sha256", ShopifySignature.Sign(body, secret));
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await signed.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK) { ok++; } else { failed++; }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failed++;
            }

            slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(1000).ConfigureAwait(false);
        }

        await Task.WhenAll(trickles);
        Report.Line("trickling_connections_opened", connections);
        Report.Line("signed_ok", ok);
        Report.Line("signed_failed", failed);
        Report.Line("signed_slowest_ms", slowest);
        return 0;
    }
}
