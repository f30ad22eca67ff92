using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Webhooks.Application.Backfill;
using Webhooks.Infrastructure.Delivery;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// The backfills' HTTP client: the outbound destination rules of the delivery client — http:// refused unless AllowHttp,
/// loopback, private, link-local and metadata addresses refused unless AllowPrivateNetworks, checked for every request
/// and again at every connection (the client connects only to an address the guard has just approved) — no redirects
/// followed, no proxy, a timeout per request. The providers' rate-limit answers become
/// <see cref="ProviderRateLimitedException"/>; any other failure a <see cref="ProviderApiException"/> that names the
/// request, never its credentials.
/// </summary>
internal sealed class BackfillHttp(IHttpClientFactory clients, DestinationGuard guard, IOptions<BackfillOptions> options, TimeProvider clock)
{
    public const string ClientName = "backfill";

    /// <summary>What every request to a provider says it is (GitHub refuses requests without a User-Agent).</summary>
    public static readonly string UserAgent = $"{Application.Delivery.DeliveryEnvelope.DefaultUserAgent} (backfill)";

    /// <summary>Error bodies are quoted in the run's error up to this length.</summary>
    private const int QuotedBody = 300;

    /// <summary>A 429 without Retry-After waits this long.</summary>
    private static readonly TimeSpan DefaultPause = TimeSpan.FromMinutes(1);

    public TimeProvider Clock => clock;

    /// <summary>Sends <paramref name="request"/> and answers the successful response; <paramref name="what"/> names it in errors ("GitHub GET …").</summary>
    /// <param name="rateLimited">Reads a refused response's rate-limit headers: when to try again, or null when it was no rate limit.</param>
    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, string what, Func<HttpResponseMessage, DateTimeOffset?> rateLimited, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (await guard.RefuseAsync(request.RequestUri!.ToString(), cancellationToken) is { } refused)
        {
            throw new ProviderApiException($"{what} refused by the outbound destination rules: {refused}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderApiException($"{what} failed: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderApiException($"{what}: no answer within Webhooks:Backfill:RequestTimeout ({options.Value.RequestTimeout}).", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var quoted = body.Length > QuotedBody ? body[..QuotedBody] + "…" : body;
            if (rateLimited(response) is { } until)
            {
                throw new ProviderRateLimitedException(until, $"{what} answered {(int)response.StatusCode}: rate limited until {until:O}.");
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var later = clock.GetUtcNow() + DefaultPause;
                throw new ProviderRateLimitedException(later, $"{what} answered 429 without Retry-After: waiting until {later:O}.");
            }

            throw new ProviderApiException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {quoted}");
        }
    }

    /// <summary>When Retry-After (seconds or an HTTP date) says to try again, or null when it is absent.</summary>
    public DateTimeOffset? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
        return retry?.Delta is { } delta ? clock.GetUtcNow() + delta
            : retry?.Date is { } date ? date
            : null;
    }

    /// <summary>A header's value as a number, or null.</summary>
    public static long? Number(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
