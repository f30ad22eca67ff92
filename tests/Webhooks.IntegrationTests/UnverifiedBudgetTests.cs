using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Api.Http;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>A small unverified-body budget (8 MiB, 1 MiB per client) and a short request deadline, on a real port.</summary>
public sealed class SmallBudgetApp : WebhooksApp
{
    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Ingest:UnverifiedBudgetBytes"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Webhooks:Ingest:RequestTimeout"] = "00:00:03",
    };

    public HttpClient ClientFrom(string from) => LoopbackClients.From(from, Address);
}

/// <summary>
/// Contract v3, Operations: memory held for unverified bodies is bounded in total and per client; a client past its
/// share gets 503 + Retry-After while others are served; ingest requests have a deadline.
/// </summary>
public sealed class UnverifiedBudgetTests(SmallBudgetApp app) : IClassFixture<SmallBudgetApp>
{
    private UnverifiedBodies Budget => app.Services.GetRequiredService<UnverifiedBodies>();

    [Fact]
    public async Task AClientPastItsShare_Gets503WithRetryAfter_WhileAnotherClientIsServed()
    {
        // 700 KiB of a body announced as 900 KiB, then nothing: the gateway holds what arrived, charged to 127.0.0.61.
        using var stalled = await StalledRequest.SendAsync(app.Address, "127.0.0.61", announced: 900 * 1024, sent: 700 * 1024);
        await Eventually.GetAsync(() => Budget.Held, held => held >= 600 * 1024, TimeSpan.FromSeconds(10), "the first body is being read");

        using var greedy = app.ClientFrom("127.0.0.61");
        using var second = await greedy.SendAsync(Post(new ByteArrayContent(new byte[400 * 1024])));
        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the two bodies together pass this client's 1 MiB share");
        second.Headers.RetryAfter.Should().NotBeNull();

        using var other = app.ClientFrom("127.0.0.62");
        using var delivery = Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)));
        (await other.SendAsync(delivery)).StatusCode.Should().Be(HttpStatusCode.OK, "another client within its share is served");

        stalled.Dispose();
        await Eventually.GetAsync(() => Budget.Held, held => held == 0, TimeSpan.FromSeconds(10), "every byte is released when its request ends");
    }

    [Fact]
    public async Task ABodyThatStopsArriving_IsAnswered408AtTheDeadline_AndItsMemoryReleased()
    {
        using var stalled = await StalledRequest.SendAsync(app.Address, "127.0.0.63", announced: 200 * 1024, sent: 64 * 1024);

        var status = await stalled.ReadStatusLineAsync(TimeSpan.FromSeconds(30));

        status.Should().StartWith("HTTP/1.1 408", "the gateway ends the request at its 3 s deadline");
        await Eventually.GetAsync(() => Budget.Held, held => held == 0, TimeSpan.FromSeconds(10));
    }

    private static HttpRequestMessage Post(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/shopify") { Content = content };
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Hmac-Sha256", "AAAA");
        return request;
    }

    /// <summary>A raw HTTP/1.1 request whose body stops arriving part of the way: the connection stays open until disposed.</summary>
    private sealed class StalledRequest : IDisposable
    {
        private readonly System.Net.Sockets.Socket socket;

        private StalledRequest(System.Net.Sockets.Socket socket) => this.socket = socket;

        public static async Task<StalledRequest> SendAsync(Uri server, string from, int announced, int sent)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
            await socket.ConnectAsync(server.Host, server.Port);
            var head = $"POST /api/v1/webhooks/shopify HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\n" +
                $"Content-Length: {announced}\r\nX-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: AAAA\r\n\r\n";
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(head));
            await socket.SendAsync(new byte[sent]);
            return new StalledRequest(socket);
        }

        /// <summary>The first line the server answers, or "" when it closes without one.</summary>
        public async Task<string> ReadStatusLineAsync(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            var end = text.IndexOf('\r', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }

        public void Dispose() => socket.Dispose();
    }
}
