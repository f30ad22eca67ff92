using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Audit;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Delivery;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;
using Webhooks.Domain.Sources;
using Webhooks.Domain.Tenants;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>EF Core over the tables the SQL migrations create; used by the admin side, not by ingest or the relay.</summary>
/// <remarks>
/// Its save is the unit of work's: it takes the domain events the tracked aggregates raised and dispatches them in the
/// same transaction (their reactions may change more, saved with it, or queue work for after the commit), and writes
/// the events added through <see cref="IOutbox"/> with the one outbox writer.
/// </remarks>
internal sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options, IServiceProvider services)
    : DbContext(options), IWebhooksDbContext, IOutbox, IDataProtectionKeyContext
{
    private readonly List<OutboxMessage> newEvents = [];

    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public IQueryable<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<ReplayJob> ReplayJobs => Set<ReplayJob>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<EventDelivery> Deliveries => Set<EventDelivery>();

    public DbSet<DeliveryEvent> DeliveryEvents => Set<DeliveryEvent>();

    public DbSet<Source> Sources => Set<Source>();

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public IQueryable<Tenant> TenantLocked(Guid id) => Tenants.FromSql($"SELECT * FROM applications WHERE id = {id} FOR UPDATE");

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public IQueryable<InboxMessage> InboxBefore(Guid? cursor, Guid? atLeast = null, Guid? below = null)
    {
        if (cursor is null && atLeast is null && below is null)
        {
            return Inbox;
        }

        // Open ends become the extreme uuids, so one parameterised statement serves every case.
        Guid upperCursor = cursor ?? Guid.AllBitsSet, upper = below ?? Guid.AllBitsSet, lower = atLeast ?? Guid.Empty;
        return Inbox.FromSql($"SELECT * FROM inbox_messages WHERE id < {upperCursor} AND id < {upper} AND id >= {lower}");
    }

    public IQueryable<DeadLetter> DeadLettersBefore(Guid? cursor) =>
        cursor is { } id ? DeadLetters.FromSql($"SELECT * FROM dead_letters WHERE id < {id}") : DeadLetters;

    public IQueryable<DeadLetter> DeadLetterLocked(Guid id) => DeadLetters.FromSql($"SELECT * FROM dead_letters WHERE id = {id} FOR UPDATE");

    public IQueryable<Source> SourceLocked(string name) => Sources.FromSql($"SELECT * FROM sources WHERE name = {name} FOR UPDATE");

    public IQueryable<EventDelivery> DeliveryLocked(Guid id) => Deliveries.FromSql($"SELECT * FROM deliveries WHERE id = {id} FOR UPDATE");

    public IQueryable<Subscription> SubscriptionLocked(Guid id) => Subscriptions.FromSql($"SELECT * FROM subscriptions WHERE id = {id} FOR UPDATE");

    public IQueryable<Subscription> SubscriptionsAfter(Guid? cursor) =>
        cursor is { } id ? Subscriptions.FromSql($"SELECT * FROM subscriptions WHERE id > {id}") : Subscriptions;

    public IQueryable<DeliveryAttempt> DeliveryAttemptsBefore(Guid subscriptionId, Guid? cursor)
    {
        var upper = cursor ?? Guid.AllBitsSet;
        return DeliveryAttempts.FromSql($"SELECT * FROM delivery_attempts WHERE subscription_id = {subscriptionId} AND id < {upper}");
    }

    public async Task<int> RequeueDeliveriesAsync(Subscription subscription, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Set-based, so a long outage's backlog is queued without loading it: the dead ones go back to pending, and
        // events matching the patterns that it never got get a delivery (the unique key skips the ones it has). The
        // patterns are matched by the Domain rule over the few distinct types of the window, never again in SQL; an
        // event about this very subscription is never queued for it.
        string pending = DeliveryStatus.Pending.Text(), dead = DeliveryStatus.Dead.Text();
        DateTimeOffset from = since.ToUniversalTime(), at = now.ToUniversalTime();
        var types = await Database.SqlQuery<string>($"SELECT DISTINCT type AS \"Value\" FROM outbound_events WHERE created_at >= {from}").ToListAsync(cancellationToken);
        var wanted = types.Where(type => EventPatterns.Matches(subscription.Events, type)).ToArray();
        var application = subscription.ApplicationId;

        // A filter is evaluated as at the fan-out, by the Domain rule, over the window's candidate events.
        string[]? passing = null;
        if (subscription.Filter is { } json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var filter = EventFilter.Parse(document.RootElement);
            var candidates = await Database.SqlQuery<MissedEvent>($"""
                SELECT e.id AS "Id", e.type AS "Type", e.data::text AS "Data" FROM outbound_events e
                WHERE e.created_at >= {from} AND e.type = ANY ({wanted}) AND (e.origin <> 'inbound' OR {subscription.IncludeInbound})
                  AND (e.application_id IS NULL OR e.application_id = {application}) AND e.about_subscription IS DISTINCT FROM {subscription.Id}
                """).ToListAsync(cancellationToken);
            passing = candidates.Where(c => filter.Matches(c.Type, Webhooks.Application.Common.Json.StoredJson.Element(c.Data))).Select(c => c.Id).ToArray();
        }

        var everyCandidate = passing is null;
        passing ??= [];
        var counts = await Database.SqlQuery<int>($"""
            WITH again AS (
                UPDATE deliveries SET status = {pending}, attempts = 0, next_attempt_at = {at}, completed_at = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE subscription_id = {subscription.Id} AND status = {dead} AND (created_at >= {from} OR completed_at >= {from})
                RETURNING 1),
            missed AS (
                INSERT INTO deliveries (id, event_id, subscription_id, event_type, status, next_attempt_at, created_at)
                SELECT gen_random_uuid(), e.id, {subscription.Id}, e.type, {pending}, {at}, {at}
                FROM outbound_events e
                WHERE e.created_at >= {from} AND e.type = ANY ({wanted}) AND (e.origin <> 'inbound' OR {subscription.IncludeInbound})
                  AND (e.application_id IS NULL OR e.application_id = {application}) AND e.about_subscription IS DISTINCT FROM {subscription.Id}
                  AND ({everyCandidate} OR e.id = ANY ({passing}))
                ON CONFLICT (event_id, subscription_id) DO NOTHING
                RETURNING 1)
            SELECT ((SELECT count(*) FROM again) + (SELECT count(*) FROM missed))::int AS "Value"
            """).ToListAsync(cancellationToken);
        return counts[0];
    }

    /// <summary>An event a replay may queue again, with what its subscription's filter reads.</summary>
    private sealed record MissedEvent(string Id, string Type, string Data);

    public void ClearChangeTracker()
    {
        ChangeTracker.Clear();
        newEvents.Clear();
    }

    void IOutbox.Add(OutboxMessage message) => newEvents.Add(message);

    /// <summary>
    /// Saves the tracked changes, dispatches the domain events they raised (until their reactions raise no more), and
    /// writes the events added through <see cref="IOutbox"/> with the one outbox writer. New outbox events are always
    /// written in the transaction of the changes: the caller's, or — when there is none — one of its own, run as one
    /// retriable unit of the execution strategy.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Database.CurrentTransaction is not null || newEvents.Count == 0)
        {
            return await SaveAndDispatchAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var afterCommit = services.GetService(typeof(AfterCommitQueue)) as AfterCommitQueue;
        var saved = await Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            afterCommit?.Forget(); // a retried attempt queues its own
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            var count = await SaveAndDispatchAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return count;
        });
        ChangeTracker.AcceptAllChanges();
        newEvents.Clear();
        if (afterCommit is not null)
        {
            await afterCommit.RunPendingAsync();
        }

        return saved;
    }

    private async Task<int> SaveAndDispatchAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var raised = TakeDomainEvents();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var dispatcher = raised.Count == 0 ? null : services.GetService(typeof(IDomainEventDispatcher)) as IDomainEventDispatcher;
        while (raised.Count > 0 && dispatcher is not null)
        {
            await dispatcher.DispatchAsync(raised, cancellationToken);
            raised = TakeDomainEvents();
            saved += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (newEvents.Count > 0 && Database.CurrentTransaction is { } transaction)
        {
            var events = newEvents.ToList();
            await OutboxWriter.WriteAsync(
                (Npgsql.NpgsqlConnection)Database.GetDbConnection(), (Npgsql.NpgsqlTransaction)transaction.GetDbTransaction(), events, cancellationToken);
            if (acceptAllChangesOnSuccess)
            {
                newEvents.Clear(); // the caller's transaction: a retry of it runs the handler, which adds them again
            }

            saved += events.Count;
        }

        return saved;
    }

    private List<Domain.Common.IDomainEvent> TakeDomainEvents() =>
        ChangeTracker.Entries<Domain.Common.AggregateRoot>().SelectMany(e => e.Entity.TakeDomainEvents()).ToList();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
}
