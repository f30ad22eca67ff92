using System.Diagnostics;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Http;

/// <summary>Counts every delivery by source and outcome and times it, whatever answered it (handler, limiter, error).</summary>
internal sealed class IngestMetricsMiddleware(RequestDelegate next, IIngestObserver observer, ISourceCatalog sources)
{
    public const string OutcomeItem = "webhooks.outcome";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var segment = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 3 } parts ? parts[3] : null;
            var source = segment is not null && sources.Find(segment) is not null ? segment : "unknown";
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
            observer.Record(source, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds, context.Connection.RemoteIpAddress?.ToString());
        }
    }
}
