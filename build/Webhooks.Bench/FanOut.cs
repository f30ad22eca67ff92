using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Bench;

/// <summary>
/// What payload filters cost on the fan-out path: two applications with <c>subscriptions</c> subscriptions each (one
/// loopback receiver answering 200), one without filters, one where every subscription has its own filter (three
/// conditions, all passing, so both fan out to every subscription). <c>events</c> events are published to each,
/// alternating between the two so both meet the same background (the deliveries they start); each publish answers once
/// its event and deliveries are committed, so its time is the fan-out's. Prints both medians and their ratio.
/// </summary>
internal static class FanOut
{
    private static readonly string[] Currencies = ["EUR", "USD", "GBP"];
    private static readonly string[] Patterns = ["order.*"];

    public static async Task<int> RunAsync(Options options)
    {
        var api = new Uri(options.Get("api"));
        var subscriptions = options.Int("subscriptions", 1000);
        var events = options.Int("events", 30);
        var port = options.Int("port", 17300);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/{**path}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Ok();
        });
        await receiver.StartAsync();

        using var admin = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Get("admin-key"));
        var plain = await CreateApplicationAsync(admin, "bench-plain");
        var filtered = await CreateApplicationAsync(admin, "bench-filtered");
        try
        {
            await SubscribeAsync(admin, plain, subscriptions, port, _ => null);
            await SubscribeAsync(admin, filtered, subscriptions, port, i => new Dictionary<string, object>
            {
                ["data.total"] = new Dictionary<string, object> { ["$gte"] = i % 100 },
                ["data.currency"] = new Dictionary<string, object> { ["$in"] = Currencies },
                ["data.customer.country"] = new Dictionary<string, object> { ["$ne"] = "XX" + i },
            });

            var times = new Dictionary<string, List<double>> { [plain] = [], [filtered] = [] };
            for (var n = 0; n < events + 2; n++)
            {
                foreach (var application in new[] { plain, filtered })
                {
                    var clock = Stopwatch.StartNew();
                    using var published = await admin.PostAsJsonAsync($"/api/v1/applications/{application}/events", new
                    {
                        type = "order.created",
                        data = new { order_id = n, total = 250, currency = "EUR", customer = new { id = n, country = "DE" } },
                    });
                    var elapsed = clock.Elapsed.TotalMilliseconds;
                    published.EnsureSuccessStatusCode();
                    var reached = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscriptions").GetInt32();
                    if (reached != subscriptions)
                    {
                        Console.Error.WriteLine($"fan-out reached {reached} subscriptions, not {subscriptions}");
                        return 1;
                    }

                    if (n >= 2)
                    {
                        times[application].Add(elapsed); // the first two are warm-up (connections, cached filters)
                    }
                }
            }

            var withoutFilters = Median(times[plain]);
            var withFilters = Median(times[filtered]);
            Report.Line("fanout_subscriptions", subscriptions);
            Report.Line("fanout_plain_ms", withoutFilters);
            Report.Line("fanout_filtered_ms", withFilters);
            Report.Line("fanout_ratio", withFilters / withoutFilters);
            return 0;
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/applications/{plain}");
            await admin.DeleteAsync($"/api/v1/applications/{filtered}");
            await receiver.StopAsync();
        }
    }

    private static async Task<string> CreateApplicationAsync(HttpClient admin, string name)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/applications", new { name, uid = name + "-" + Guid.NewGuid().ToString("N")[..8] });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task SubscribeAsync(HttpClient admin, string application, int count, int port, Func<int, object?> filter)
    {
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var created = await admin.PostAsJsonAsync($"/api/v1/applications/{application}/subscriptions",
                    new { url = $"http://127.0.0.1:{port}/{application}/{i}", events = Patterns, filter = filter(i) });
                if (!created.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"subscription {i}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
