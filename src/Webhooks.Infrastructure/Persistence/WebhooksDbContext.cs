using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Audit;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>EF Core over the tables the SQL migrations create; used by the admin side, not by ingest or the relay.</summary>
internal sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IWebhooksDbContext, IDataProtectionKeyContext
{
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<ReplayJob> ReplayJobs => Set<ReplayJob>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

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

    public void ClearChangeTracker() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
}
