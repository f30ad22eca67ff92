namespace Webhooks.Application.Backfill;

/// <summary>
/// The providers' APIs a backfill calls, through the outbound destination rules (SSRF guard, AllowHttp,
/// AllowPrivateNetworks). A client honours the provider's rate-limit headers: once told to wait it sends nothing more
/// and throws <see cref="ProviderRateLimitedException"/>.
/// </summary>
public interface IBackfillApis
{
    IGitHubHookApi GitHub(GitHubHook hook);

    IStripeEventsApi Stripe(string apiBaseUrl, string apiKey);
}

/// <summary>A GitHub hook's deliveries: list them (paginated) and ask for one to be redelivered.</summary>
public interface IGitHubHookApi
{
    /// <exception cref="ProviderApiException">GitHub refused, failed or could not be reached.</exception>
    /// <exception cref="ProviderRateLimitedException">GitHub asked to wait.</exception>
    Task<GitHubDeliveryPage> DeliveriesAsync(string? cursor, CancellationToken cancellationToken);

    /// <summary>Asks GitHub to deliver <paramref name="deliveryId"/> again (it answers 202 and delivers it anew).</summary>
    Task RedeliverAsync(long deliveryId, CancellationToken cancellationToken);
}

/// <summary>A Stripe account's events, created since a time, of given types, paginated with starting_after.</summary>
public interface IStripeEventsApi
{
    /// <exception cref="ProviderApiException">Stripe refused, failed or could not be reached.</exception>
    /// <exception cref="ProviderRateLimitedException">Stripe asked to wait.</exception>
    Task<StripeEventPage> EventsAsync(DateTimeOffset createdFrom, IReadOnlyList<string> types, string? startingAfter, CancellationToken cancellationToken);
}
