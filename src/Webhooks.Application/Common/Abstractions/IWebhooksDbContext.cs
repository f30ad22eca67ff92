using Microsoft.EntityFrameworkCore;
using Webhooks.Domain.Audit;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// The admin side's unit of work (EF Core, provider-agnostic). The hot paths — ingest and relay — do not use it:
/// see docs/adr/0005 and 0006.
/// </summary>
public interface IWebhooksDbContext
{
    DbSet<InboxMessage> Inbox { get; }

    DbSet<OutboxMessage> Outbox { get; }

    DbSet<DeadLetter> DeadLetters { get; }

    DbSet<ReplayJob> ReplayJobs { get; }

    DbSet<AuditEntry> AuditLog { get; }

    /// <summary>Inbox rows older than the cursor row (ids are UUIDv7: id order is time order), for keyset paging; optionally within an id range.</summary>
    IQueryable<InboxMessage> InboxBefore(Guid? cursor, Guid? atLeast = null, Guid? below = null);

    /// <summary>Dead letters older than the cursor row, for keyset paging.</summary>
    IQueryable<DeadLetter> DeadLettersBefore(Guid? cursor);

    /// <summary>One dead letter, its row locked until the transaction ends (FOR UPDATE).</summary>
    IQueryable<DeadLetter> DeadLetterLocked(Guid id);

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets tracked entities, so long-running work (a bulk replay) holds one page in memory at a time.</summary>
    void ClearChangeTracker();
}

/// <summary>Runs work in one database transaction, with the provider's retry strategy (the Transaction behaviour).</summary>
public interface ITransactionRunner
{
    Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>Wakes the relay after an admin action put events back in the outbox.</summary>
public interface IOutboxNotifier
{
    void Notify();
}

/// <summary>Hands replays to the durable job scheduler; answers the scheduler's job id.</summary>
public interface IReplayJobScheduler
{
    /// <summary>Runs (or resumes) the bulk replay recorded as <paramref name="jobId"/>.</summary>
    Task<string> ScheduleAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>Replays one dead letter as a job of its own (its state and failure visible in the job dashboard).</summary>
    Task<string> ScheduleReplayAsync(Guid deadLetterId, CancellationToken cancellationToken);
}

/// <summary>One recurring job as the job scheduler records it.</summary>
public sealed record RecurringJobView(string Id, string Cron, string? LastState, DateTimeOffset? NextRun, DateTimeOffset? LastRun, string? Error);

/// <summary>The job scheduler's recurring jobs, for the operators' dashboard.</summary>
public interface IJobsOverview
{
    Task<IReadOnlyList<RecurringJobView>> RecurringAsync(CancellationToken cancellationToken);
}

/// <summary>A command whose handler must run in one transaction.</summary>
public interface ITransactionalCommand;
