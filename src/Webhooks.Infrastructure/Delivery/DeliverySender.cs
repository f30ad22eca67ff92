using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Webhooks.Application.Delivery;
using Webhooks.Application.Delivery.Sending;
using Webhooks.Application.Providers.StandardWebhooks;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Sends one signed request (docs/contract.md, Outbound delivery): POST, JSON envelope, User-Agent, X-Webhook-Version,
/// custom headers and the
/// signature headers of the subscription's scheme. No redirects are followed, the response body is read up to 64 KiB,
/// the subscription's timeout applies, and each endpoint has its own circuit breaker, so a dead endpoint costs
/// nothing while its circuit is open and never slows another endpoint.
/// </summary>
internal sealed class DeliverySender(IHttpClientFactory clients, IOptions<DeliveryOptions> options, TimeProvider clock) : IEndpointSender
{
    public const string ClientName = "webhooks-delivery";
    private const int MaxResponseBytes = 64 * 1024;
    private const int LoggedBodyChars = 1000;
    private readonly ConcurrentDictionary<Guid, ResiliencePipeline<HttpResponseMessage>> breakers = new();

    /// <param name="body">The envelope (<see cref="DeliveryEnvelope"/>), sent and signed byte for byte.</param>
    public async Task<AttemptOutcome> SendAsync(Endpoint endpoint, string messageId, string eventType, byte[] body, bool bypassBreaker, CancellationToken cancellationToken)
    {
        if (endpoint.Secrets.Count == 0)
        {
            return new AttemptOutcome(null, 0, null, "no usable signing secret (its key is gone): rotate the subscription's secret", null);
        }

        if (endpoint.Scheme == OutboundSignature.StandardScheme && !endpoint.Secrets.Any(s => StandardWebhooksSignature.Key(s) is not null))
        {
            return new AttemptOutcome(null, 0, null, "the standard scheme signs with whsec_ secrets only: rotate the subscription's secret", null);
        }

        var now = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(endpoint.TimeoutSeconds));
        var pipeline = bypassBreaker ? ResiliencePipeline<HttpResponseMessage>.Empty : breakers.GetOrAdd(endpoint.Id, _ => Breaker());
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token => await clients.CreateClient(ClientName).SendAsync(Request(endpoint, messageId, eventType, now, body), HttpCompletionOption.ResponseHeadersRead, token),
                timeout.Token);
            var text = await ReadBodyAsync(response, timeout.Token);
            return new AttemptOutcome((int)response.StatusCode, Elapsed(started), Cut(text), null, RetryAfter(response, clock.GetUtcNow()));
        }
        catch (BrokenCircuitException ex)
        {
            return new AttemptOutcome(null, 0, null, "circuit open: the endpoint failed repeatedly; waiting before trying it again", ex.RetryAfter ?? options.Value.BreakerDuration, CircuitOpen: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(null, Elapsed(started), null, $"timed out after {endpoint.TimeoutSeconds} s", null);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptOutcome(null, Elapsed(started), null, ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message, null);
        }
    }

    /// <summary>Forgets a subscription's breaker (after it was changed or re-enabled).</summary>
    public void Reset(Guid subscriptionId) => breakers.TryRemove(subscriptionId, out _);

    private static HttpRequestMessage Request(Endpoint endpoint, string messageId, string eventType, DateTimeOffset now, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", endpoint.UserAgent);
        if (endpoint.ApiVersion is { } version)
        {
            request.Headers.TryAddWithoutValidation("X-Webhook-Version", version);
        }

        foreach (var (name, value) in endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var timestamp = now.ToUnixTimeSeconds();
        switch (endpoint.Scheme)
        {
            case OutboundSignature.LegacyScheme:
                request.Headers.Add("X-Webhook-ID", messageId);
                request.Headers.Add("X-Event-Type", eventType);
                request.Headers.Add("X-Webhook-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("X-Webhook-Signature", OutboundSignature.Legacy(timestamp, body, OutboundSignature.SingleSecret(endpoint.Secrets)));
                break;
            case OutboundSignature.BodyHmacScheme:
                request.Headers.Add("X-Webhook-ID", messageId);
                request.Headers.Add("X-Webhook-Event", eventType);
                request.Headers.TryAddWithoutValidation("X-Webhook-Signature", OutboundSignature.BodyHmac(body, OutboundSignature.SingleSecret(endpoint.Secrets)));
                break;
            default:
                request.Headers.Add("webhook-id", messageId);
                request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.TryAddWithoutValidation("webhook-signature", OutboundSignature.Standard(messageId, timestamp, body, endpoint.Secrets));
                break;
        }

        return request;
    }

    private ResiliencePipeline<HttpResponseMessage> Breaker() => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 1.0,
            MinimumThroughput = options.Value.BreakerFailures,
            SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.Value.BreakerDuration.TotalSeconds * 2)),
            BreakDuration = options.Value.BreakerDuration,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<OperationCanceledException>()
                .HandleResult(r => (int)r.StatusCode is 408 or 429 or >= 500),
        })
        .Build();

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>The body for the log, cut to its first characters — never between the two halves of a surrogate pair
    /// (an emoji cut in half is text PostgreSQL refuses, and would fail the batch recording it).</summary>
    internal static string? Cut(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length <= LoggedBodyChars)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[LoggedBodyChars - 1]) ? LoggedBodyChars - 1 : LoggedBodyChars;
        return text[..length];
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
