using System.Diagnostics;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Http;

/// <summary>
/// Counts every delivery by source and outcome and times it, whatever answered it (handler, limiter, error); a
/// delivery to a known source that was refused for what it was (400, 401, 403, 413) is reported with its reason and
/// topic, for evt.webhook.validation.failed.
/// </summary>
internal sealed class IngestMetricsMiddleware(RequestDelegate next, IIngestObserver observer, ISourceCatalog sources)
{
    public const string OutcomeItem = "webhooks.outcome";

    /// <summary>Where the problem handler leaves the reason it gave a refused delivery.</summary>
    public const string RejectionItem = "webhooks.rejection";

    private const int MaxTopicLength = 100;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var resolved = IngestSource.Resolve(context, sources);
        try
        {
            await next(context);
        }
        finally
        {
            var parts = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var known = resolved?.Known;
            var source = known?.Name ?? "unknown";
            var outcome = context.Response.StatusCode switch
            {
                200 => context.Items[OutcomeItem] as string ?? "accepted",
                401 => "rejected_signature",
                403 => "rejected_address",
                413 => "too_large",
                429 => "rate_limited",
                503 => "unavailable",
                >= 500 => "error",
                _ => "rejected_other",
            };
            var rejection = known is not null && context.Response.StatusCode is 400 or 401 or 403 or 413
                ? new IngestRejection(context.Items[RejectionItem] as string ?? $"HTTP {context.Response.StatusCode}", ReceivedTopic(context, known, parts!), Webhooks.Domain.Sources.ProviderNames.ToName(known.Provider))
                : null;
            observer.Record(source, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds, context.Connection.RemoteIpAddress?.ToString(), rejection);
        }
    }

    /// <summary>The topic the refused delivery named, as received — the path's, else the provider's topic header — cut to 100 printable characters.</summary>
    private static string? ReceivedTopic(HttpContext context, Webhooks.Domain.Sources.WebhookSource source, string[] parts)
    {
        var header = source.Provider switch
        {
            Webhooks.Domain.Sources.ProviderKind.Shopify => "X-Shopify-Topic",
            Webhooks.Domain.Sources.ProviderKind.GitHub => "X-GitHub-Event",
            _ => source.Hmac?.EventTypeHeader,
        };
        var topic = parts.Length > 4 ? string.Join('/', parts[4..]) : header is null ? null : context.Request.Headers[header].ToString();
        if (string.IsNullOrEmpty(topic))
        {
            return null;
        }

        var printable = new string([.. topic.Where(c => !char.IsControl(c)).Take(MaxTopicLength)]);
        return printable.Length == 0 ? null : printable;
    }
}
