namespace Webhooks.Application.Backfill;

/// <summary>
/// GitHub never redelivers a failed delivery by itself: list the hook's deliveries of the window (newest first, page by
/// page), and ask once for each failed one whose guid the inbox lacks. GitHub then posts it again, signed, with the same
/// X-GitHub-Delivery, and it goes through ingest like any delivery.
/// </summary>
internal sealed class GitHubRedelivery(IBackfillApis apis, IBackfillStore store, TimeProvider clock)
{
    public async Task RunAsync(BackfillSource source, DateTimeOffset since, BackfillProgress progress, CancellationToken cancellationToken)
    {
        var api = apis.GitHub(GitHubHook.From(source.Settings));
        var listed = new List<GitHubDelivery>();
        string? cursor = null;
        var complete = false;
        for (var page = 0; page < progress.MaxPages && clock.GetUtcNow() < progress.Deadline; page++)
        {
            var deliveries = await api.DeliveriesAsync(cursor, cancellationToken);
            listed.AddRange(deliveries.Deliveries.Where(d => d.DeliveredAt >= since));
            if (deliveries.NextCursor is null || deliveries.Deliveries.Count == 0 || deliveries.Deliveries.Any(d => d.DeliveredAt < since))
            {
                complete = true; // newest first: past the window's start, the rest is older still
                break;
            }

            cursor = deliveries.NextCursor;
        }

        var candidates = GitHubDelivery.ToRedeliver(listed);
        var stored = await store.StoredAsync(source.Name, candidates.Select(d => d.DeliveryGuid).ToList(), cancellationToken);
        var missing = candidates.Where(d => !stored.Contains(d.DeliveryGuid)).ToList();
        var asked = await store.RequestedAsync(source.Name, missing.Select(d => d.DeliveryGuid).ToList(), cancellationToken);
        progress.Found = missing.Count;
        progress.Skipped = missing.Count(d => asked.Contains(d.DeliveryGuid));
        foreach (var delivery in missing.Where(d => !asked.Contains(d.DeliveryGuid)))
        {
            if (clock.GetUtcNow() >= progress.Deadline)
            {
                complete = false;
                break;
            }

            await api.RedeliverAsync(delivery.Id, cancellationToken);
            // After GitHub accepted it: a request that failed is asked again next run, one that got through never is.
            await store.RecordRequestedAsync(source.Name, delivery.DeliveryGuid, delivery.Id, clock.GetUtcNow(), cancellationToken);
            progress.Recovered++;
        }

        progress.Complete = complete;
    }
}
