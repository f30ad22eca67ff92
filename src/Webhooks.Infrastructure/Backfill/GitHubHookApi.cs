using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Webhooks.Application.Backfill;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// A GitHub hook's deliveries over the REST API: "List deliveries for a repository webhook" (and its organisation and
/// app twins) and "Redeliver a delivery" (https://docs.github.com/en/rest/repos/webhooks,
/// https://docs.github.com/en/rest/orgs/webhooks, https://docs.github.com/en/rest/apps/webhooks). Every request carries
/// User-Agent, <c>Accept: application/vnd.github+json</c>, <c>X-GitHub-Api-Version</c> and the token or the app's JWT.
/// Rate limits (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api): once
/// <c>X-RateLimit-Remaining</c> reaches 0 nothing more is sent until <c>X-RateLimit-Reset</c>; a refusal with
/// <c>Retry-After</c> (a secondary limit) waits that long.
/// </summary>
internal sealed class GitHubHookApi(BackfillHttp http, GitHubHook hook) : IGitHubHookApi
{
    public const string ApiVersion = "2022-11-28";
    private const int PerPage = 100;

    private DateTimeOffset? exhaustedUntil;
    private (string Token, DateTimeOffset At)? jwt;

    public async Task<GitHubDeliveryPage> DeliveriesAsync(string? cursor, CancellationToken cancellationToken)
    {
        var url = $"{hook.ApiBaseUrl}{hook.Path}/deliveries?per_page={PerPage}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        using var response = await SendAsync(HttpMethod.Get, url, $"GitHub GET {hook.Path}/deliveries", cancellationToken);
        var next = response.Headers.TryGetValues("Link", out var links) ? LinkHeader.NextCursor(links) : null;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return new GitHubDeliveryPage(json.RootElement.EnumerateArray().Select(Delivery).ToList(), next);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ProviderApiException($"GitHub GET {hook.Path}/deliveries answered a body that is not a list of deliveries ({ex.Message}).", ex);
        }
    }

    public async Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken)
    {
        var path = $"{hook.Path}/deliveries/{deliveryId.ToString(CultureInfo.InvariantCulture)}/attempts";
        using var response = await SendAsync(HttpMethod.Post, hook.ApiBaseUrl + path, $"GitHub POST {path}", cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string what, CancellationToken cancellationToken)
    {
        var now = http.Clock.GetUtcNow();
        if (exhaustedUntil is { } until && until > now)
        {
            throw new ProviderRateLimitedException(until, $"{what} not sent: GitHub's rate limit is used up until {until:O} (X-RateLimit-Remaining: 0).");
        }

        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Credential(now));
        var response = await http.SendAsync(request, what, RateLimitedUntil, cancellationToken);
        if (BackfillHttp.Number(response, "X-RateLimit-Remaining") == 0)
        {
            exhaustedUntil = Reset(response) ?? now + TimeSpan.FromMinutes(1);
        }

        return response;
    }

    /// <summary>The token, or for an app's hook a JWT, made anew before it is 5 minutes old.</summary>
    private string Credential(DateTimeOffset now)
    {
        if (!hook.IsAppHook)
        {
            return hook.Token is { Length: > 0 } token
                ? token
                : throw new ProviderApiException("No Backfill:Token to call GitHub with (not set, or its Data Protection key is gone).");
        }

        if (jwt is { } current && now - current.At < TimeSpan.FromMinutes(5))
        {
            return current.Token;
        }

        if (hook.PrivateKey is not { Length: > 0 } key || hook.AppId is not { Length: > 0 } app)
        {
            throw new ProviderApiException("No Backfill:AppId and PrivateKey to sign GitHub's JWT with (not set, or the key's Data Protection key is gone).");
        }

        try
        {
            jwt = (GitHubAppJwt.Create(app, key, now), now);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new ProviderApiException("Backfill:PrivateKey could not sign GitHub's JWT: it is not an RSA private key in PEM form.", ex);
        }

        return jwt.Value.Token;
    }

    /// <summary>A refusal that is a rate limit: Retry-After (secondary limits), else a used-up primary limit's reset.</summary>
    private DateTimeOffset? RateLimitedUntil(HttpResponseMessage response) =>
        response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests) ? null
            : http.RetryAfter(response) is { } retry ? retry
            : BackfillHttp.Number(response, "X-RateLimit-Remaining") == 0 ? Reset(response) ?? http.Clock.GetUtcNow() + TimeSpan.FromMinutes(1)
            : null;

    private static DateTimeOffset? Reset(HttpResponseMessage response) =>
        BackfillHttp.Number(response, "X-RateLimit-Reset") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static GitHubDelivery Delivery(JsonElement item) => new(
        item.GetProperty("id").GetInt64(),
        item.GetProperty("guid").GetString() ?? throw new FormatException("a delivery without a guid"),
        item.GetProperty("delivered_at").GetDateTimeOffset(),
        item.TryGetProperty("redelivery", out var redelivery) && redelivery.ValueKind == JsonValueKind.True,
        item.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null,
        item.TryGetProperty("status_code", out var code) && code.ValueKind == JsonValueKind.Number ? code.GetInt32() : null,
        item.TryGetProperty("event", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
        item.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String ? action.GetString() : null);
}
