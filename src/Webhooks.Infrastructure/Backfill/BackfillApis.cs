using Webhooks.Application.Backfill;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>A client per run: each keeps its own rate-limit state and, for an app's hook, its JWT.</summary>
internal sealed class BackfillApis(BackfillHttp http) : IBackfillApis
{
    public IGitHubHookApi GitHub(GitHubHook hook) => new GitHubHookApi(http, hook);

    public IStripeEventsApi Stripe(string apiBaseUrl, string apiKey) => new StripeEventsApi(http, apiBaseUrl, apiKey);
}
