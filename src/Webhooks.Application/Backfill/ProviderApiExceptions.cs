namespace Webhooks.Application.Backfill;

/// <summary>A provider's API refused a backfill's request, failed, could not be reached, or the outbound rules refused it.</summary>
public sealed class ProviderApiException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A provider's API asked to be left alone until <see cref="Until"/> (rate limit headers, Retry-After).</summary>
public sealed class ProviderRateLimitedException(DateTimeOffset until, string message) : Exception(message)
{
    public DateTimeOffset Until { get; } = until;
}
