using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Http;

/// <summary>
/// Webhooks:RateLimits. Ingestion is throttled by authenticity, not by volume: failed deliveries (400, 401, 403, 404,
/// 413) are counted per (client address, source) and, past the budget, further failures are answered 429 — a verified
/// delivery never is. Overload is answered by the ingest writer (503 when commits fall behind). A fixed per-source
/// limit exists for operators who want one; it is off unless PerSource.PermitsPerSecond is set.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public FailureBudget Failures { get; set; } = new();

    public BucketOptions PerSource { get; set; } = new();

    public sealed class FailureBudget
    {
        /// <summary>Failures a (client, source) may have in a row before they are answered 429.</summary>
        [Range(1, 1_000_000)]
        public int Burst { get; set; } = 50;

        /// <summary>How fast that budget comes back.</summary>
        [Range(1, 1_000_000)]
        public int PerMinute { get; set; } = 60;

        /// <summary>How many (client, source) pairs are tracked; beyond it new ones share one bucket.</summary>
        [Range(100, 10_000_000)]
        public int MaxTracked { get; set; } = 100_000;
    }

    public sealed class BucketOptions
    {
        /// <summary>0 (the default) means no fixed limit.</summary>
        [Range(0, 1_000_000)]
        public int PermitsPerSecond { get; set; }

        [Range(0, 10_000_000)]
        public int Burst { get; set; }
    }
}

/// <summary>Failed deliveries per (client address, source); see <see cref="RateLimitOptions"/>.</summary>
internal sealed class IngestFailures(IOptions<RateLimitOptions> options, TimeProvider clock)
{
    private readonly RateLimitOptions settings = options.Value;
    private readonly FailureThrottle throttle = new(
        clock, options.Value.Failures.Burst, options.Value.Failures.PerMinute / 60.0, options.Value.Failures.MaxTracked);

    internal FailureThrottle Throttle => throttle;

    /// <summary>Records a failed delivery; returns the wait to announce when this one is to be answered 429 instead.</summary>
    public TimeSpan? Record(HttpContext context, string? knownSource)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        // Unknown source names share one partition per client, so inventing names buys no fresh budget.
        return throttle.RecordFailure(FailureThrottle.ClientKey(context.Connection.RemoteIpAddress) + "|" + (knownSource ?? "*"));
    }
}

internal static class RateLimits
{
    public static IServiceCollection AddWebhookRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("Webhooks:RateLimits").ValidateDataAnnotations()
            .Validate(o => o.PerSource.PermitsPerSecond == 0 || o.PerSource.Burst >= o.PerSource.PermitsPerSecond,
                "Webhooks:RateLimits:PerSource:Burst must be at least PermitsPerSecond.")
            .ValidateOnStart();
        services.AddSingleton<IngestFailures>();
        services.AddOptions<IngestLimitOptions>().BindConfiguration("Webhooks:Ingest").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<UnverifiedBodies>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PerSourceLimit();
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                await TooMany(rejected.HttpContext, retryAfter, "Rate limit reached",
                    "This source's fixed rate limit (Webhooks:RateLimits:PerSource) is reached.");
            };
        });
        return services;
    }

    /// <summary>Answers 429 with Retry-After as problem+json.</summary>
    public static async Task TooMany(HttpContext context, TimeSpan retryAfter, string title, string detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = title,
                Detail = $"{detail} Retry after {seconds} s.",
                Type = "https://httpstatuses.io/429",
            },
        });
    }

    private static PartitionedRateLimiter<HttpContext> PerSourceLimit() =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            var settings = options.PerSource;
            var source = options.Enabled && settings.PermitsPerSecond > 0 ? IngestSource.Of(context)?.Known?.Name : null;
            if (source is null)
            {
                // Only configured sources get a bucket: a made-up name must not create one.
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            return RateLimitPartition.GetTokenBucketLimiter(source, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.Burst,
                TokensPerPeriod = settings.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
}
