using Npgsql;
using Webhooks.Domain.Delivery;
using Webhooks.Infrastructure.Persistence;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>
/// Outbound intake in PostgreSQL: the event and its fan-out to matching subscriptions in one transaction, with the
/// inbound opt-ins cached. Subscriptions themselves are kept through the EF model (the Delivery use cases).
/// </summary>
internal sealed class PostgresDeliveryIntake(NpgsqlDataSource dataSource, DeliverySignal signal, TimeProvider clock) : IDeliveryIntake
{
    private InboundPatterns? inboundWanted;
    private long subscriptionChanges;

    public async Task<PublishedEvent> IntakeAsync(OutboundEvent outbound, bool inboundOnly, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (inboundOnly && !(await InboundPatternsAsync(now, cancellationToken)).Any(patterns => EventPatterns.Matches(patterns, outbound.Type)))
        {
            return new PublishedEvent(outbound.Id, 0, false); // the common case: nobody wants it, and no query per event
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var published = await SubscriptionFanOut.FanOutAsync(connection, transaction, outbound, inboundOnly, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (!published.Duplicate && published.Subscriptions > 0)
        {
            signal.Notify();
        }

        return published;
    }

    /// <summary>A subscription changed through this instance: its next inbound event re-reads the patterns.</summary>
    public void SubscriptionsChanged() => Interlocked.Increment(ref subscriptionChanges);

    public void DeliveriesQueued() => signal.Notify();

    /// <summary>
    /// The patterns of the active subscriptions that opted in to inbound events, re-read at most every 2 s, and at
    /// once after a change through this instance (other instances see it within the 2 s). A read that a change
    /// overtook is used once but not kept.
    /// </summary>
    private async Task<string[][]> InboundPatternsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = Interlocked.Read(ref subscriptionChanges);
        if (Volatile.Read(ref inboundWanted) is { } cached && now < cached.Until && cached.Changes == changes)
        {
            return cached.Patterns;
        }

        await using var command = dataSource.CreateCommand("SELECT events FROM subscriptions WHERE is_active AND include_inbound");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var patterns = new List<string[]>();
        var events = reader.GetOrdinal("events");
        while (await reader.ReadAsync(cancellationToken))
        {
            patterns.Add(reader.GetFieldValue<string[]>(events));
        }

        var read = new InboundPatterns(now.AddSeconds(2), [.. patterns], changes);
        Volatile.Write(ref inboundWanted, read);
        return read.Patterns;
    }
}

/// <summary>The inbound opt-in patterns as read, until when they may be reused, and the change count they reflect.</summary>
internal sealed record InboundPatterns(DateTimeOffset Until, string[][] Patterns, long Changes);
