namespace Webhooks.Application.Delivery.Sending;

/// <summary>How a subscription's failed attempts are retried: its own schedule (seconds) or the retry count, and for what.</summary>
public sealed record RetryRules(int RetryCount, int[]? Schedule, string RetryOn)
{
    public int Retries => Schedule is { Length: > 0 } own ? own.Length : RetryCount;
}
