using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Backfill;

/// <summary>
/// Stripe stops retrying after 3 days (a few hours in test mode): list the account's events of the configured types
/// created in the window (newest first, following starting_after while has_more), and store each one the inbox lacks
/// as if it had been received — the same mapping, de-duplication (the event id) and events, each marked backfilled.
/// </summary>
internal sealed class StripeImport(
    IBackfillApis apis, IBackfillStore store, ISourceCatalog catalog, ProviderRegistry providers, WebhookStorage storage, TimeProvider clock)
{
    public async Task RunAsync(BackfillSource source, DateTimeOffset since, BackfillProgress progress, CancellationToken cancellationToken)
    {
        var webhooks = catalog.Find(source.Name) ?? throw new ProviderApiException($"Source '{source.Name}' is not loaded on this instance yet.");
        var settings = source.Settings;
        var types = settings.Types is { Count: > 0 } configured ? configured : BackfillDefinitions.DefaultStripeTypes;
        var wanted = types.ToHashSet(StringComparer.Ordinal);
        var api = apis.Stripe(settings.ApiBaseUrl ?? BackfillDefinitions.DefaultStripeApiBaseUrl, settings.ApiKey ?? "");

        var listed = new List<StripeEvent>();
        string? after = null;
        var complete = false;
        for (var page = 0; page < progress.MaxPages && clock.GetUtcNow() < progress.Deadline; page++)
        {
            var events = await api.EventsAsync(since, types, after, cancellationToken);
            listed.AddRange(events.Events.Where(e => wanted.Contains(e.Type) && e.Created >= since));
            if (!events.HasMore || events.Events.Count == 0)
            {
                complete = true;
                break;
            }

            after = events.Events[^1].Id;
        }

        var unique = listed.DistinctBy(e => e.Id, StringComparer.Ordinal).ToList();
        var stored = await store.StoredAsync(source.Name, unique.Select(e => e.Id).ToList(), cancellationToken);
        var missing = unique.Where(e => !stored.Contains(e.Id)).OrderBy(e => e.Created).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        progress.Found = missing.Count;
        progress.Skipped = unique.Count - missing.Count;
        var provider = providers.Get(ProviderKind.Stripe);
        foreach (var stripeEvent in missing)
        {
            if (clock.GetUtcNow() >= progress.Deadline)
            {
                complete = false;
                break;
            }

            var request = Request(source.Name, stripeEvent, clock.GetUtcNow());
            WebhookInterpretation interpretation;
            try
            {
                interpretation = provider.Interpret(request, webhooks);
            }
            catch (MalformedWebhookException ex)
            {
                progress.Note = $"event {stripeEvent.Id} could not be read and was passed over: {ex.Message}";
                continue;
            }

            var result = await storage.StoreAsync(request, webhooks, interpretation, backfilled: true, cancellationToken);
            if (result.Duplicate)
            {
                progress.Skipped++; // stored meanwhile: Stripe's own retry got through first
            }
            else
            {
                progress.Recovered++;
            }
        }

        progress.Complete = complete;
    }

    /// <summary>The event as if Stripe had delivered it: its JSON as the body, marked as recovered from the API.</summary>
    private static WebhookRequest Request(string source, StripeEvent stripeEvent, DateTimeOffset now) => new(
        source,
        null,
        stripeEvent.Body,
        "application/json",
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [OutboxEvents.BackfilledHeader] = "stripe GET /v1/events" },
        "https",
        "backfill",
        "/v1/events",
        null,
        Guid.NewGuid().ToString("N"),
        null) { ReceivedAt = now };
}
