using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Webhooks.Application.Providers.Shopify;

namespace Webhooks.Bench;

/// <summary>
/// Time from the 200 answer to the event's arrival at a consumer: first 100 webhooks one at a time, then an open-loop
/// load at a fixed rate. An event that arrives before the client has read its 200 counts as 0 ms.
/// </summary>
internal static class EndToEnd
{
    private static long nextOrder = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    /// <summary>A unique order each time: the gateway de-duplicates byte-identical bodies, as it must.</summary>
    private static byte[] NextBody() => Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $$"""{"id":{{Interlocked.Increment(ref nextOrder)}},"order_number":1001,"total_price":"199.00","currency":"USD","financial_status":"paid","customer":{"id":115310627314723954},"line_items":[{"product_id":632910392,"variant_id":808950810,"quantity":1,"price":"199.00"}]}"""));

    public static async Task<int> RunAsync(Options options)
    {
        var secret = options.Get("secret");
        var arrivals = new ConcurrentDictionary<string, long>();
        var factory = new ConnectionFactory { Uri = new Uri(options.Get("amqp")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, "webhooks.events", "evt.webhook.order.created");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var json = JsonDocument.Parse(delivery.Body);
            arrivals[json.RootElement.GetProperty("inboxid").GetString()!] = at;
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(options.Get("api")) };

        var sequential = new List<double>();
        for (var i = 0; i < options.Int("sequential", 100); i++)
        {
            var (id, answeredAt) = await SendAsync(http, secret);
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            while (!arrivals.ContainsKey(id) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(1);
            }

            sequential.Add(Latency(arrivals, id, answeredAt));
        }

        sequential.Sort();
        if (sequential.Count > 0)
        {
            Report.Line("seq_p50_ms", Report.Percentile(sequential, 50));
            Report.Line("seq_max_ms", sequential[^1]);
        }

        var rate = options.Double("rate", 500);
        var seconds = options.Int("seconds", 15);
        var answered = new ConcurrentDictionary<string, long>();
        var sends = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (int)(rate * seconds);
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds(n / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            sends.Add(Task.Run(async () =>
            {
                var (id, at) = await SendAsync(http, secret);
                answered[id] = at;
            }));
        }

        await Task.WhenAll(sends);
        var settle = Stopwatch.StartNew();
        while (answered.Keys.Any(id => !arrivals.ContainsKey(id)) && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        var latencies = answered.Select(pair => Latency(arrivals, pair.Key, pair.Value)).Order().ToList();
        Report.Line("e2e_rate_per_s", rate);
        Report.Line("e2e_sent", total);
        Report.Line("e2e_missing", answered.Keys.Count(id => !arrivals.ContainsKey(id)));
        Report.Line("e2e_p50_ms", Report.Percentile(latencies, 50));
        Report.Line("e2e_p99_ms", Report.Percentile(latencies, 99));
        return 0;
    }

    private static double Latency(ConcurrentDictionary<string, long> arrivals, string id, long answeredAt) =>
        arrivals.TryGetValue(id, out var arrived) ? Math.Max(0, Stopwatch.GetElapsedTime(answeredAt, arrived).TotalMilliseconds) : double.PositiveInfinity;

    private static async Task<(string Id, long AnsweredAt)> SendAsync(HttpClient http, string secret)
    {
        var body = NextBody();
        var signature = ShopifySignature.Sign(body, secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/shopify") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", "bench.myshopify.com");
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
        using var response = await http.SendAsync(request);
        var at = Stopwatch.GetTimestamp();
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return (json.RootElement.GetProperty("id").GetString()!, at);
    }
}
