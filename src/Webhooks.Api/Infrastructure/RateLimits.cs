using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Infrastructure;

/// <summary>Webhooks:RateLimits — token buckets per source and per client address on the ingestion endpoints.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public BucketOptions PerSource { get; set; } = new() { PermitsPerSecond = 2000, Burst = 4000 };

    public BucketOptions PerClient { get; set; } = new() { PermitsPerSecond = 1000, Burst = 2000 };

    public sealed class BucketOptions
    {
        [Range(1, 1_000_000)]
        public int PermitsPerSecond { get; set; }

        [Range(1, 10_000_000)]
        public int Burst { get; set; }
    }
}

internal static class RateLimits
{
    public static IServiceCollection AddWebhookRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("Webhooks:RateLimits").ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Partition(context => SourceOf(context), o => o.PerSource),
                Partition(context => SourceOf(context) is null ? null : context.Connection.RemoteIpAddress?.ToString() ?? "unknown", o => o.PerClient));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Rate limit reached",
                        Detail = $"Too many deliveries for this source or from this address; retry after {retryAfter} s.",
                        Type = "https://httpstatuses.io/429",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>The source segment of an ingestion path, or null for every other request (not limited here).</summary>
    private static string? SourceOf(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api/v1/webhooks", StringComparison.Ordinal, out var rest) || !rest.HasValue)
        {
            return null;
        }

        var segment = rest.Value!.TrimStart('/');
        var end = segment.IndexOf('/', StringComparison.Ordinal);
        return end < 0 ? segment : segment[..end];
    }

    private static PartitionedRateLimiter<HttpContext> Partition(Func<HttpContext, string?> key, Func<RateLimitOptions, RateLimitOptions.BucketOptions> bucket) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            var partition = options.Enabled ? key(context) : null;
            if (partition is null)
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            var settings = bucket(options);
            return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Burst,
                TokensPerPeriod = settings.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
}
