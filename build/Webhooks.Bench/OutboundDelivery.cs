using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Bench;

/// <summary>
/// Outbound delivery against its ceiling, on loopback: <c>subscriptions</c> receivers (one Kestrel app each, answering
/// 200), first a bare HttpClient posting <c>events</c> signed bodies to every receiver with 4 connections each (the
/// ceiling), then the gateway: as many subscriptions, <c>events</c> events published through /api/v1/events, timed until
/// every receiver has every delivery.
/// </summary>
internal static class OutboundDelivery
{
    public static async Task<int> RunAsync(Options options)
    {
        var api = new Uri(options.Get("api"));
        var adminKey = options.Get("admin-key");
        var subscriptions = options.Int("subscriptions", 10);
        var events = options.Int("events", 1000);
        var basePort = options.Int("port", 17100);

        var counts = new long[subscriptions];
        var receivers = new List<WebApplication>();
        for (var i = 0; i < subscriptions; i++)
        {
            var index = i;
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{basePort + i}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/{**path}", async (HttpRequest request) =>
            {
                await request.Body.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref counts[index]);
                return Results.Ok();
            });
            await app.StartAsync();
            receivers.Add(app);
        }

        try
        {
            // Ceiling: the same kind of signed body, posted straight to the receivers, 4 connections to each.
            var secret = RandomNumberGenerator.GetBytes(32);
            using var plain = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 });
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, subscriptions).Select(async receiver =>
            {
                using var gate = new SemaphoreSlim(4);
                await Task.WhenAll(Enumerable.Range(0, events).Select(async n =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        var body = Encoding.UTF8.GetBytes($$$"""{"id":"msg_{{{receiver}}}_{{{n}}}","event":"bench.ceiling","data":{"n":{{{n}}}} }""");
                        using var content = new ByteArrayContent(body);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        content.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, body)));
                        using var response = await plain.PostAsync($"http://127.0.0.1:{basePort + receiver}/ceiling", content);
                        response.EnsureSuccessStatusCode();
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }));
            var ceiling = subscriptions * events / clock.Elapsed.TotalSeconds;
            Array.Clear(counts);

            // The gateway: one subscription per receiver, every event to every subscription.
            using var admin = new HttpClient { BaseAddress = api };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            var type = "bench.order." + Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < subscriptions; i++)
            {
                using var created = await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = $"http://127.0.0.1:{basePort + i}/hook", events = new[] { type } });
                created.EnsureSuccessStatusCode();
            }

            clock.Restart();
            using (var gate = new SemaphoreSlim(16))
            {
                await Task.WhenAll(Enumerable.Range(0, events).Select(async n =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        using var published = await admin.PostAsJsonAsync("/api/v1/events", new { type, data = new { order_id = n, total = "19.99" } });
                        published.EnsureSuccessStatusCode();
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var expected = (long)subscriptions * events;
            var deadline = Stopwatch.StartNew();
            while (counts.Sum() < expected && deadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(20);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Report.Line("outbound_ceiling_per_s", ceiling);
            Report.Line("outbound_delivered", counts.Sum());
            Report.Line("outbound_expected", expected);
            Report.Line("outbound_per_s", counts.Sum() / seconds);
            return counts.Sum() == expected ? 0 : 1;
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                await receiver.StopAsync();
                await receiver.DisposeAsync();
            }
        }
    }
}
