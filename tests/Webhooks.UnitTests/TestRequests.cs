using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests;

internal static class TestRequests
{
    public static WebhookRequest With(byte[] body, IDictionary<string, string> headers, string source = "shop", string? pathTopic = null) => new(
        source,
        pathTopic,
        body,
        "application/json",
        new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
        "https",
        "hooks.example.com",
        "/api/v1/webhooks/" + source,
        "203.0.113.7",
        "corr-1",
        null);

    public static WebhookSource Source(ProviderKind provider, params string[] secrets) => new()
    {
        Name = "shop",
        Provider = provider,
        Secrets = secrets,
    };
}
