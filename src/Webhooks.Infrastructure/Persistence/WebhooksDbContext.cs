using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>EF Core over the tables the SQL migrations create; used by the admin side, not by ingest or the relay.</summary>
internal sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IWebhooksDbContext
{
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<ReplayJob> ReplayJobs => Set<ReplayJob>();

    public IQueryable<InboxMessage> InboxBefore(Guid? cursor) =>
        cursor is { } id ? Inbox.FromSql($"SELECT * FROM inbox_messages WHERE id < {id}") : Inbox;

    public IQueryable<DeadLetter> DeadLettersBefore(Guid? cursor) =>
        cursor is { } id ? DeadLetters.FromSql($"SELECT * FROM dead_letters WHERE id < {id}") : DeadLetters;

    public void ClearChangeTracker() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
}
