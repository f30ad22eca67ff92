namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>
/// Custom headers as the API and dashboard show them: names in full, values hidden — they carry receivers'
/// credentials — except the last four characters of a long one, enough to tell two apart.
/// </summary>
public static class SubscriptionHeaders
{
    public static IReadOnlyDictionary<string, string> Masked(IReadOnlyDictionary<string, string> headers) =>
        headers.ToDictionary(h => h.Key, h => h.Value.Length >= 16 ? "…" + h.Value[^4..] : "…", StringComparer.OrdinalIgnoreCase);

    public static SubscriptionView Masked(SubscriptionView view) => view with { Headers = Masked(view.Headers) };
}
