using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Webhooks.Application.Backfill;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// A Stripe account's events over "List all events" (https://docs.stripe.com/api/events/list):
/// <c>GET /v1/events?created[gte]=…&amp;limit=100&amp;types[]=…</c>, newest first, the next page asked with
/// <c>starting_after</c> = the last id while <c>has_more</c> (https://docs.stripe.com/api/pagination), with the API key as
/// Bearer. A 429 waits for its Retry-After (https://docs.stripe.com/rate-limits).
/// </summary>
internal sealed class StripeEventsApi(BackfillHttp http, string apiBaseUrl, string apiKey) : IStripeEventsApi
{
    private const int Limit = 100;

    public async Task<StripeEventPage> EventsAsync(DateTimeOffset createdFrom, IReadOnlyList<string> types, string? startingAfter, CancellationToken cancellationToken)
    {
        if (apiKey.Length == 0)
        {
            throw new ProviderApiException("No Backfill:ApiKey to call Stripe with (not set, or its Data Protection key is gone).");
        }

        var query = new StringBuilder($"created%5Bgte%5D={createdFrom.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}&limit={Limit}");
        foreach (var type in types)
        {
            query.Append("&types%5B%5D=").Append(Uri.EscapeDataString(type));
        }

        if (startingAfter is not null)
        {
            query.Append("&starting_after=").Append(Uri.EscapeDataString(startingAfter));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{apiBaseUrl.TrimEnd('/')}/v1/events?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, "Stripe GET /v1/events", http.RetryAfter, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            using var json = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = Application.Common.Json.StoredJson.MaxDepth }, cancellationToken);
            var root = json.RootElement;
            var events = root.GetProperty("data").EnumerateArray().Select(e => new StripeEvent(
                e.GetProperty("id").GetString() ?? throw new FormatException("an event without an id"),
                e.GetProperty("type").GetString() ?? throw new FormatException("an event without a type"),
                DateTimeOffset.FromUnixTimeSeconds(e.GetProperty("created").GetInt64()),
                Encoding.UTF8.GetBytes(e.GetRawText()))).ToList();
            return new StripeEventPage(events, root.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ProviderApiException($"Stripe GET /v1/events answered a body that is not a list of events ({ex.Message}).", ex);
        }
    }
}
