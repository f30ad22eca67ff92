using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Audit;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Delivery;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;
using Webhooks.Domain.Sources;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>EF Core over the tables the SQL migrations create; used by the admin side, not by ingest or the relay.</summary>
internal sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IWebhooksDbContext, IDataProtectionKeyContext
{
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<ReplayJob> ReplayJobs => Set<ReplayJob>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<EventDelivery> Deliveries => Set<EventDelivery>();

    public DbSet<DeliveryEvent> DeliveryEvents => Set<DeliveryEvent>();

    public DbSet<Source> Sources => Set<Source>();

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
        string pending = DeliveryStatus.Pending, dead = DeliveryStatus.Dead;
        DateTimeOffset from = since.ToUniversalTime(), at = now.ToUniversalTime();
        var types = await Database.SqlQuery<string>($"SELECT DISTINCT type AS \"Value\" FROM outbound_events WHERE created_at >= {from}").ToListAsync(cancellationToken);
        var wanted = types.Where(type => EventPatterns.Matches(subscription.Events, type)).ToArray();
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
                  AND e.about_subscription IS DISTINCT FROM {subscription.Id}
                ON CONFLICT (event_id, subscription_id) DO NOTHING
                RETURNING 1)
            SELECT ((SELECT count(*) FROM again) + (SELECT count(*) FROM missed))::int AS "Value"
            """).ToListAsync(cancellationToken);
        return counts[0];
    }

    public void ClearChangeTracker() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
}
