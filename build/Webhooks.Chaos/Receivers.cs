using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Webhooks.Application.Providers.StandardWebhooks;

namespace Webhooks.Chaos;

/// <summary>What one (event, subscription) pair received: every webhook-id it arrived under, and how often.</summary>
internal sealed class Arrivals
{
    public ConcurrentDictionary<string, int> MessageIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Arrivals answered 2xx: the delivery is done from the partner's side.</summary>
    public int Taken;

    public int Total;
}

/// <summary>
/// The partners: one Kestrel app per subscription on loopback. Each verifies the Standard Webhooks signature with its
/// subscription's secret, takes 10–150 ms to answer, and records the arrival under (the event's chaos_id, receiver).
/// Receiver 0 is flaky on purpose: it answers 500 to the first attempt of about one delivery in eight (chosen by the
/// message id, so a rerun chooses the same), so retries are exercised.
/// </summary>
internal sealed class Receivers : IAsyncDisposable
{
    private readonly List<WebApplication> apps = [];
    private readonly string?[] secrets;
    private readonly Guid[] subscriptionIds;
    private readonly Tally tally;

    private Receivers(int count, Tally tally)
    {
        secrets = new string?[count];
        subscriptionIds = new Guid[count];
        this.tally = tally;
    }

    public const string Kind = "receivers";

    /// <summary>(chaos_id, receiver index) → what arrived.</summary>
    public ConcurrentDictionary<(string EventId, int Receiver), Arrivals> Seen { get; } = new();

    public ConcurrentBag<string> Problems { get; } = [];

    public IReadOnlyList<Guid> SubscriptionIds => subscriptionIds;

    public static async Task<Receivers> StartAsync(int basePort, int count, Tally tally)
    {
        var receivers = new Receivers(count, tally);
        for (var i = 0; i < count; i++)
        {
            var index = i;
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{basePort + i}"));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/hook", (HttpRequest request) => receivers.ReceiveAsync(index, request));
            await app.StartAsync();
            receivers.apps.Add(app);
        }

        return receivers;
    }

    public void Trust(int receiver, Guid subscriptionId, string secret)
    {
        subscriptionIds[receiver] = subscriptionId;
        Volatile.Write(ref secrets[receiver], secret);
    }

    private async Task<IResult> ReceiveAsync(int receiver, HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        tally.Add($"{Kind} requests");
        string messageId = request.Headers[StandardWebhooksSignature.IdHeader].ToString();
        string timestamp = request.Headers[StandardWebhooksSignature.TimestampHeader].ToString();
        string signature = request.Headers[StandardWebhooksSignature.Header].ToString();
        var secret = Volatile.Read(ref secrets[receiver]);
        if (secret is null || !long.TryParse(timestamp, CultureInfo.InvariantCulture, out var seconds)
            || !signature.Split(' ').Contains(StandardWebhooksSignature.Sign(messageId, seconds, body, secret), StringComparer.Ordinal))
        {
            Problem($"receiver {receiver}: bad signature on {messageId}");
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        string? eventId;
        int attempt;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            eventId = root.GetProperty("data").TryGetProperty("chaos_id", out var id) ? id.GetString() : null;
            attempt = root.GetProperty("attempt").GetInt32();
            if (root.GetProperty("id").GetString() != messageId)
            {
                Problem($"receiver {receiver}: body id {root.GetProperty("id").GetString()} under webhook-id {messageId}");
            }

            if (root.GetProperty("webhook_id").GetString() != subscriptionIds[receiver].ToString())
            {
                Problem($"receiver {receiver}: webhook_id {root.GetProperty("webhook_id").GetString()} is not its subscription {subscriptionIds[receiver]}");
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Problem($"receiver {receiver}: unreadable body under {messageId}: {e.Message}");
            return Results.BadRequest();
        }

        if (eventId is null)
        {
            Problem($"receiver {receiver}: no chaos_id in {messageId}");
            return Results.BadRequest();
        }

        // A partner takes its time to answer, so a killed instance often has deliveries in flight.
        await Task.Delay(Latency(messageId));
        var arrivals = Seen.GetOrAdd((eventId, receiver), _ => new Arrivals());
        arrivals.MessageIds.AddOrUpdate(messageId, 1, (_, n) => n + 1);
        Interlocked.Increment(ref arrivals.Total);
        if (receiver == 0 && attempt == 1 && messageId.Length > 0 && messageId[^1] is '0' or '8')
        {
            tally.Add($"{Kind} answered 500 on purpose");
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        Interlocked.Increment(ref arrivals.Taken);
        return Results.Ok();
    }

    /// <summary>10–150 ms, chosen by the message id (its last hex digits are random), so a rerun waits alike.</summary>
    private static TimeSpan Latency(string messageId) =>
        TimeSpan.FromMilliseconds(10 + (int.TryParse(messageId.AsSpan(Math.Max(0, messageId.Length - 2)), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n) ? n : 0) * 140 / 255);

    private void Problem(string what)
    {
        tally.Add($"{Kind} problems");
        if (Problems.Count < 50)
        {
            Problems.Add(what);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
