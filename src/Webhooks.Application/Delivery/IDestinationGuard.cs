namespace Webhooks.Application.Delivery;

/// <summary>The SSRF and HTTPS rules for destinations.</summary>
public interface IDestinationGuard
{
    /// <returns>Why the URL is refused, or null when it may be used.</returns>
    Task<string?> RefuseAsync(string url, CancellationToken cancellationToken);
}
