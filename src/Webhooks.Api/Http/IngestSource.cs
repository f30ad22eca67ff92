using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Sources;

namespace Webhooks.Api.Http;

/// <summary>
/// The source an ingest request names, looked up once as the request enters the ingest pipeline and carried with it:
/// the metrics, the failure throttle, the per-source limit, the controller and the command all use this one lookup.
/// </summary>
/// <param name="Segment">The path's source segment, as sent.</param>
/// <param name="Known">The source of that name, enabled or not; null for a name nobody configured.</param>
internal sealed record IngestSource(string Segment, WebhookSource? Known)
{
    /// <summary>The request's source, when it is an ingest request (resolved by <see cref="Resolve"/>).</summary>
    public static IngestSource? Of(HttpContext context) => context.Features.Get<IngestSource>();

    /// <summary>Looks the source up and keeps it with the request; null for a request that is not an ingest request.</summary>
    public static IngestSource? Resolve(HttpContext context, ISourceCatalog catalog)
    {
        if (SegmentOf(context) is not { } segment)
        {
            return null;
        }

        var resolved = new IngestSource(segment, catalog.Find(segment));
        context.Features.Set(resolved);
        return resolved;
    }

    /// <summary>The source segment of an ingestion path, or null for every other request.</summary>
    private static string? SegmentOf(HttpContext context)
    {
        // Routing matches the path's literal parts in any case: so must everything that keys on the source.
        if (!context.Request.Path.StartsWithSegments("/api/v1/webhooks", StringComparison.OrdinalIgnoreCase, out var rest) || !rest.HasValue)
        {
            return null;
        }

        var segment = rest.Value!.TrimStart('/');
        var end = segment.IndexOf('/', StringComparison.Ordinal);
        var name = end < 0 ? segment : segment[..end];
        return name.Length == 0 ? null : name;
    }
}
