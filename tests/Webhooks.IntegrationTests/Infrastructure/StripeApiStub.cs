using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// Stripe on loopback: an account's events, which it can deliver to the gateway signed as Stripe signs them, and the
/// API a backfill lists them with, in the documented shapes (the JSON is written here, not copied):
/// <list type="bullet">
/// <item>The Event object — <c>id</c> (evt_…), <c>object</c> "event", <c>api_version</c>, <c>created</c> (Unix
/// seconds), <c>data.object</c>, <c>livemode</c>, <c>pending_webhooks</c>, <c>request</c>, <c>type</c> —
/// https://docs.stripe.com/api/events/object.</item>
/// <item>List all events — <c>GET /v1/events</c> with <c>created[gte]</c>, <c>limit</c> (1–100, default 10),
/// <c>starting_after</c>, <c>types[]</c> (up to 20), newest first, answering <c>{"object": "list", "url": "/v1/events",
/// "has_more": …, "data": [...]}</c> — https://docs.stripe.com/api/events/list; events are kept 30 days.</item>
/// <item>Pagination: the next page starts after the last id of this one (<c>starting_after</c>) while <c>has_more</c> —
/// https://docs.stripe.com/api/pagination.</item>
/// <item>Authentication: the secret key as Bearer; a wrong one answers 401 with an <c>error</c> object of type
/// <c>invalid_request_error</c> — https://docs.stripe.com/api/authentication, https://docs.stripe.com/api/errors.</item>
/// <item>Rate limits: 429 Too Many Requests with an <c>error</c> whose <c>code</c> is <c>rate_limit</c>; Stripe documents no
/// Retry-After, so a client backs off by itself — https://docs.stripe.com/rate-limits, https://docs.stripe.com/error-codes#rate-limit.</item>
/// <item>Webhook signatures: <c>Stripe-Signature: t=…,v1=</c>hex HMAC-SHA256 of "{t}.{body}" —
/// https://docs.stripe.com/webhooks#verify-manually. Stripe retries a failed delivery for up to 3 days in live mode —
/// https://docs.stripe.com/webhooks#retries.</item>
/// </list>
/// </summary>
internal sealed class StripeApiStub : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Id, string Type, long Created, JsonObject Event)> events = new();
    private WebApplication? app;
    private int sequence;

    public string ApiKey { get; } = "sk_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string BaseUrl => app!.Address();

    /// <summary>At most this many events a page, whatever limit asks (Stripe's own cap is 100).</summary>
    public int PageLimit { get; set; } = 100;

    public ConcurrentQueue<ApiRequest> Requests { get; } = new();

    /// <summary>While true, every list request is refused with 429 (the account's rate limit).</summary>
    public bool RateLimited { get; set; }

    public static async Task<StripeApiStub> StartAsync()
    {
        var stub = new StripeApiStub();
        stub.app = await LoopbackServer.StartAsync(app => app.MapGet("/v1/events", stub.List));
        return stub;
    }

    /// <summary>A payment intent that succeeded, as the event's data.object carries it.</summary>
    public static JsonObject PaymentIntent(string id, long amount) => new()
    {
        ["id"] = id,
        ["object"] = "payment_intent",
        ["amount"] = amount,
        ["currency"] = "usd",
        ["status"] = "succeeded",
        ["customer"] = "cus_" + id[3..],
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["metadata"] = new JsonObject { ["merchant_id"] = "acme", ["merchant_domain"] = "acme.example.com" },
    };

    /// <summary>A customer, as customer.created's data.object carries it.</summary>
    public static JsonObject Customer(string id) => new()
    {
        ["id"] = id,
        ["object"] = "customer",
        ["email"] = $"{id}@example.com",
        ["name"] = "Jenny Rosen",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["metadata"] = new JsonObject(),
    };

    /// <summary>An event happens on the account (Stripe creates it; whether it is ever delivered is up to the test).</summary>
    public string Add(string type, JsonObject dataObject, DateTimeOffset? created = null)
    {
        var id = $"evt_stub{Interlocked.Increment(ref sequence):D6}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var at = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var stripeEvent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["api_version"] = "2024-06-20",
            ["created"] = at,
            ["data"] = new JsonObject { ["object"] = dataObject },
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
        events.Enqueue((id, type, at, stripeEvent));
        return id;
    }

    /// <summary>Stripe delivers event <paramref name="id"/> to <paramref name="path"/> on the gateway, signed with <paramref name="secret"/>.</summary>
    public async Task<HttpResponseMessage> DeliverAsync(HttpClient gateway, string path, string secret, string id)
    {
        var body = Encoding.UTF8.GetBytes(events.Single(e => e.Id == id).Event.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Stripe-Signature", $"t={timestamp},v1={signature}");
        return await gateway.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private IResult List(HttpContext context)
    {
        var query = context.Request.Query;
        Requests.Enqueue(new ApiRequest("GET", context.Request.Path, context.Request.QueryString.Value ?? "",
            context.Request.Headers.Authorization.ToString(), context.Request.Headers.UserAgent.ToString(), null, null));
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            return Results.Json(new JsonObject
            {
                ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = "Invalid API Key provided: sk_test_****" },
            }, statusCode: 401);
        }

        if (RateLimited)
        {
            return Results.Json(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "invalid_request_error",
                    ["code"] = "rate_limit",
                    ["message"] = "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
                },
            }, statusCode: 429);
        }

        var limit = Math.Clamp(int.TryParse(query["limit"], out var asked) ? asked : 10, 1, 100);
        var size = Math.Min(limit, PageLimit);
        var since = long.TryParse(query["created[gte]"], out var gte) ? gte : long.MinValue;
        var types = query["types[]"].Where(t => !string.IsNullOrEmpty(t)).ToHashSet(StringComparer.Ordinal);
        if (types.Count > 20)
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = "types: at most 20" } }, statusCode: 400);
        }

        // Newest first; events created in the same second keep their order of creation, newest first too.
        var matching = events.Select((e, order) => (e, order))
            .Where(x => x.e.Created >= since && (types.Count == 0 || types.Contains(x.e.Type)))
            .OrderByDescending(x => x.e.Created).ThenByDescending(x => x.order)
            .Select(x => x.e).ToList();
        var start = 0;
        if (query["starting_after"].ToString() is { Length: > 0 } after)
        {
            var at = matching.FindIndex(e => e.Id == after);
            if (at < 0)
            {
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = $"No such event: '{after}'", ["param"] = "starting_after" } }, statusCode: 400);
            }

            start = at + 1;
        }

        var page = matching.Skip(start).Take(size).ToList();
        return Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["url"] = "/v1/events",
            ["has_more"] = start + size < matching.Count,
            ["data"] = new JsonArray(page.Select(e => (JsonNode)e.Event.DeepClone()).ToArray()),
        });
    }
}
