using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>One request a subscriber's endpoint received.</summary>
public sealed record ReceivedRequest(string Endpoint, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>
    /// The Standard Webhooks check, written from the specification: base64 HMAC-SHA256 over "{id}.{timestamp}.{body}"
    /// with the base64-decoded part of the whsec_ secret, compared with each space-separated "v1,…" signature.
    /// </summary>
    public bool VerifiesWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{Header("webhook-id")}.{Header("webhook-timestamp")}.").Concat(Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return (Header("webhook-signature") ?? "").Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s), Encoding.UTF8.GetBytes(expected)));
    }
}

/// <summary>
/// Subscribers' endpoints on a loopback Kestrel. Each path behaves as told: "ok" answers 200; "fail-N" answers 500 N
/// times then 200; "status-N" always answers N; "retry-after" answers 429 with Retry-After: 2 once, then 200; "hang"
/// never answers before the client gives up; "emoji-" answers 500 once with an emoji across the 1,000th character,
/// then 200. Every request is recorded.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> seen = new(StringComparer.Ordinal);
    private WebApplication? app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public string Url(string endpoint) => app!.Address() + "/" + endpoint;

    public IReadOnlyList<ReceivedRequest> At(string endpoint) => Requests.Where(r => r.Endpoint == endpoint).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver.app = await LoopbackServer.StartAsync(app => app.MapPost("/{endpoint}", async (string endpoint, HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
            receiver.Requests.Enqueue(new ReceivedRequest(endpoint, DateTimeOffset.UtcNow, headers, buffer.ToArray()));
            var count = receiver.seen.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
            if (endpoint.StartsWith("hang", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return Results.Ok();
            }

            if (endpoint.StartsWith("retry-after", StringComparison.Ordinal) && count == 1)
            {
                context.Response.Headers.RetryAfter = "2";
                return Results.StatusCode(429);
            }

            if (endpoint.StartsWith("fail-", StringComparison.Ordinal) && count <= int.Parse(endpoint.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture))
            {
                return Results.Text("upstream exploded", statusCode: 500);
            }

            if (endpoint.StartsWith("emoji-", StringComparison.Ordinal) && count == 1)
            {
                // An emoji across the 1,000th character, where the delivery log cuts the response body.
                return Results.Text(new string('a', 999) + "\U0001F600 and more", statusCode: 500);
            }

            if (endpoint.StartsWith("status-", StringComparison.Ordinal))
            {
                return Results.StatusCode(int.Parse(endpoint.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture));
            }

            return Results.Text("thanks");
        }));
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app!.DisposeAsync();
}
