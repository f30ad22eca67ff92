using Webhooks.Contracts;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>One transaction over the alerts and what they are judged by; the store measures and stores, it does not decide.</summary>
public interface IAlertTransaction
{
    /// <summary>
    /// The figures the rules judge, over the window ending <paramref name="now"/>; sources silent for longer than
    /// expected are measured from <paramref name="expectedEvery"/> (source name → interval).
    /// </summary>
    Task<AlertMeasurements> MeasureAsync(DateTimeOffset now, TimeSpan window, int stalledMinutes, IReadOnlyDictionary<string, TimeSpan> expectedEvery, CancellationToken cancellationToken);

    /// <summary>The alerts not yet resolved, locked until the transaction ends.</summary>
    Task<IReadOnlyList<Alert>> ActiveAsync(CancellationToken cancellationToken);

    /// <summary>One alert, locked until the transaction ends; null when there is none.</summary>
    Task<Alert?> FindAsync(Guid id, CancellationToken cancellationToken);

    void Add(Alert alert);

    /// <summary>
    /// Each (source, finished minute) of the span with rejected deliveries not reported yet, now marked reported (once
    /// across instances and evaluations), with its counts by reason and up to five client addresses.
    /// </summary>
    Task<IReadOnlyList<RejectionSummary>> ReportRejectionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Saves the alerts' changes and writes <paramref name="events"/> to the outbox, in this transaction.</summary>
    Task SaveAsync(IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken);
}
