using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Webhooks.Application.Providers.Shopify;

namespace Webhooks.Chaos;

/// <summary>
/// An open loop: starts <c>one(n)</c> at <c>rate</c> per second for <c>duration</c>, at most <c>maxInFlight</c> at
/// once (while that many wait on an outage, the next ones start late rather than pile up), then waits for the started
/// ones to finish (each is bounded by its own retries).
/// </summary>
internal static class Pacer
{
    public static async Task<int> RunAsync(double rate, TimeSpan duration, int maxInFlight, Func<int, Task> one)
    {
        if (rate <= 0)
        {
            return 0;
        }

        using var gate = new SemaphoreSlim(maxInFlight);
        var running = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (int)(rate * duration.TotalSeconds);
        var started = 0;
        for (var n = 0; n < total; n++)
        {
            var wait = TimeSpan.FromSeconds(n / rate) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var left = duration - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await gate.WaitAsync(left))
            {
                break;
            }

            var index = n;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await one(index);
                }
                finally
                {
                    gate.Release();
                }
            }));
            started++;
        }

        await Task.WhenAll(running);
        return started;
    }
}

/// <param name="Duplicate">The 200 said duplicate: an earlier attempt was stored although its answer was lost.</param>
internal sealed record InboundAnswer(string EventId, Guid InboxId, bool Duplicate, int Attempts);

/// <summary>
/// Signed Shopify orders/create webhooks (each its own X-Shopify-Event-Id and body) to the instances in turn, retried as
/// Shopify retries; records which event id was answered 200 with which inbox id.
/// </summary>
internal sealed class InboundLoad(ChaosOptions options, Tally tally)
{
    public const string Kind = "inbound";

    public ConcurrentDictionary<string, InboundAnswer> Accepted { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> GivenUp { get; } = [];

    public ConcurrentBag<string> Refused { get; } = [];

    public int Started { get; private set; }

    public static string EventId(int seed, int n) => string.Create(CultureInfo.InvariantCulture, $"chaos-{seed}-in-{n:D7}");

    public async Task RunAsync(TimeSpan duration)
    {
        using var http = Sending.NewClient();
        Started = await Pacer.RunAsync(options.Rate, duration, 96, n => SendAsync(http, n));
    }

    private async Task SendAsync(HttpClient http, int n)
    {
        var eventId = EventId(options.Seed, n);
        var body = Body(options.Seed, n, eventId);
        var signature = ShopifySignature.Sign(body, options.ShopifySecret);
        var outcome = await Sending.SendAsync(http, options.Instances, n, HttpStatusCode.OK, instance =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(instance, "/api/v1/webhooks/shopify")) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Shop-Domain", "chaos.myshopify.com");
            request.Headers.Add("X-Shopify-Event-Id", eventId);
            request.Headers.Add(ShopifySignature.Header, signature);
            return request;
        }, tally, Kind);

        if (outcome.Body is { } answer)
        {
            using (answer)
            {
                var root = answer.RootElement;
                Accepted[eventId] = new InboundAnswer(eventId, root.GetProperty("id").GetGuid(), root.GetProperty("duplicate").GetBoolean(), outcome.Attempts);
            }
        }
        else if (outcome.Refused is { } status)
        {
            Refused.Add($"{eventId}: {status} {outcome.RefusedBody}");
        }
        else
        {
            GivenUp.Add(eventId);
        }
    }

    /// <summary>A unique order (the gateway also de-duplicates identical bodies), shaped as orders/create must be.</summary>
    private static byte[] Body(int seed, int n, string eventId) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"id":{{(long)seed * 10_000_000 + n}},"name":"#{{eventId}}","order_number":{{1000 + n}},"email":"buyer@example.com","total_price":"{{10 + n % 90}}.50","currency":"EUR","financial_status":"paid","customer":{"id":{{7000 + n % 500}},"email":"buyer@example.com"},"line_items":[{"id":1,"title":"Chaos","quantity":1,"price":"{{10 + n % 90}}.50"}]}"""));
}

/// <param name="Subscriptions">How many subscriptions the gateway fanned the event out to.</param>
internal sealed record OutboundAnswer(string EventId, int Subscriptions, bool Duplicate, int Attempts);

/// <summary>Events published through POST /api/v1/events with the publisher key, each with its own id, retried with it.</summary>
internal sealed class OutboundLoad(ChaosOptions options, Tally tally)
{
    public const string Kind = "outbound";
    public const string EventType = "chaos.tested";

    public ConcurrentDictionary<string, OutboundAnswer> Accepted { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<string> GivenUp { get; } = [];

    public ConcurrentBag<string> Refused { get; } = [];

    public int Started { get; private set; }

    public static string EventId(int seed, int n) => string.Create(CultureInfo.InvariantCulture, $"chaos-{seed}-out-{n:D7}");

    public async Task RunAsync(TimeSpan duration)
    {
        using var http = Sending.NewClient();
        Started = await Pacer.RunAsync(options.OutboundRate, duration, 32, n => SendAsync(http, n));
    }

    private async Task SendAsync(HttpClient http, int n)
    {
        var eventId = EventId(options.Seed, n);
        var outcome = await Sending.SendAsync(http, options.Instances, n + 1, HttpStatusCode.Accepted, instance =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(instance, "/api/v1/events"))
            {
                Content = JsonContent.Create(new { id = eventId, type = EventType, data = new { chaos_id = eventId, n } }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.PublisherKey);
            return request;
        }, tally, Kind);

        if (outcome.Body is { } answer)
        {
            using (answer)
            {
                var root = answer.RootElement;
                Accepted[eventId] = new OutboundAnswer(eventId, root.GetProperty("subscriptions").GetInt32(), root.GetProperty("duplicate").GetBoolean(), outcome.Attempts);
            }
        }
        else if (outcome.Refused is { } status)
        {
            Refused.Add($"{eventId}: {status} {outcome.RefusedBody}");
        }
        else
        {
            GivenUp.Add(eventId);
        }
    }
}
