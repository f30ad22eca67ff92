namespace Webhooks.Application.Backfill;

/// <summary>The sources' backfill settings and state, what was asked of GitHub, and which webhooks the inbox holds.</summary>
public interface IBackfillStore
{
    /// <summary>The sources with a Backfill section (or the one named), their credentials decrypted.</summary>
    Task<IReadOnlyList<BackfillSource>> SourcesAsync(string? name, CancellationToken cancellationToken);

    /// <summary>
    /// Begins a run of <paramref name="source"/>, leased for <paramref name="leaseFor"/>; null when another run holds it.
    /// A lease this process took whose run is no longer going on (its record could not reach the database) is taken over.
    /// </summary>
    Task<BackfillLease?> StartAsync(string source, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Records the run and releases its lease; in this process even when the database cannot be reached.</summary>
    Task FinishAsync(BackfillRunRecord run, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="keys"/>, the idempotency keys the source's inbox holds.</summary>
    Task<IReadOnlySet<string>> StoredAsync(string source, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="deliveryGuids"/>, the GitHub deliveries already asked to be redelivered.</summary>
    Task<IReadOnlySet<string>> RequestedAsync(string source, IReadOnlyCollection<string> deliveryGuids, CancellationToken cancellationToken);

    /// <summary>Remembers that delivery <paramref name="deliveryGuid"/> was asked for, so it is asked once.</summary>
    Task RecordRequestedAsync(string source, string deliveryGuid, long deliveryId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets requests older than <paramref name="before"/> (the provider no longer lists their deliveries).</summary>
    Task ForgetRequestsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The recorded state of every source's backfill, or of the one named.</summary>
    Task<IReadOnlyList<BackfillState>> StatesAsync(string? source, DateTimeOffset now, CancellationToken cancellationToken);
}
