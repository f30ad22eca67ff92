using Microsoft.EntityFrameworkCore;
using Webhooks.Domain.Audit;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Delivery;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;
using Webhooks.Domain.Sources;
using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// The unit of work of everything but the hot paths (EF Core, provider-agnostic). Ingest, the relay's claim and mark,
/// the delivery claim and the recording of delivery results do not use it: see docs/adr/0005 and 0006.
/// </summary>
public interface IWebhooksDbContext
{
    DbSet<InboxMessage> Inbox { get; }

    /// <summary>The outbox, to read and to change rows already there; new events go through <see cref="IOutbox"/>.</summary>
    IQueryable<OutboxMessage> Outbox { get; }

    DbSet<DeadLetter> DeadLetters { get; }

    DbSet<ReplayJob> ReplayJobs { get; }

    DbSet<AuditEntry> AuditLog { get; }

    DbSet<Subscription> Subscriptions { get; }

    DbSet<DeliveryAttempt> DeliveryAttempts { get; }

    DbSet<EventDelivery> Deliveries { get; }

    DbSet<DeliveryEvent> DeliveryEvents { get; }

    DbSet<Source> Sources { get; }

    DbSet<Tenant> Tenants { get; }

    /// <summary>One application with its keys and portal links, its row locked until the transaction ends (FOR UPDATE).</summary>
    IQueryable<Tenant> TenantLocked(Guid id);

    /// <summary>Inbox rows older than the cursor row (ids are UUIDv7: id order is time order), for keyset paging; optionally within an id range.</summary>
    IQueryable<InboxMessage> InboxBefore(Guid? cursor, Guid? atLeast = null, Guid? below = null);

    /// <summary>Dead letters older than the cursor row, for keyset paging.</summary>
    IQueryable<DeadLetter> DeadLettersBefore(Guid? cursor);

    /// <summary>One dead letter, its row locked until the transaction ends (FOR UPDATE).</summary>
    IQueryable<DeadLetter> DeadLetterLocked(Guid id);

    /// <summary>One source with its secrets, its row locked until the transaction ends (FOR UPDATE).</summary>
    IQueryable<Source> SourceLocked(string name);

    /// <summary>One subscription, its row locked until the transaction ends (FOR UPDATE): two changes at once are applied one after the other.</summary>
    IQueryable<Subscription> SubscriptionLocked(Guid id);

    /// <summary>One delivery, its row locked until the transaction ends (FOR UPDATE): an operator's change does not race the workers' recording.</summary>
    IQueryable<EventDelivery> DeliveryLocked(Guid id);

    /// <summary>Subscriptions after the cursor row, for keyset paging by id.</summary>
    IQueryable<Subscription> SubscriptionsAfter(Guid? cursor);

    /// <summary>A subscription's log lines older than the cursor row (ids are UUIDv7), for keyset paging.</summary>
    IQueryable<DeliveryAttempt> DeliveryAttemptsBefore(Guid subscriptionId, Guid? cursor);

    /// <summary>
    /// Queues again, in one statement, what <paramref name="subscription"/> gave up on since <paramref name="since"/>
    /// (its dead deliveries, those stopped by a disabling included) and the matching events it never got; answers how many.
    /// </summary>
    Task<int> RequeueDeliveriesAsync(Subscription subscription, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets tracked entities, so long-running work (a bulk replay) holds one page in memory at a time.</summary>
    void ClearChangeTracker();
}
