using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Jobs;

namespace Webhooks.Application.Admin.DeadLetters;

/// <summary>Puts the event back in the outbox with its id (consumers de-duplicate on it) and fresh attempts.</summary>
public sealed record ReplayDeadLetter(Guid Id) : IRequest<DeadLetterSummary>, ITransactionalCommand;

public sealed record ArchiveDeadLetter(Guid Id) : IRequest<DeadLetterSummary>, ITransactionalCommand;

/// <summary>Queues a durable bulk replay of the dead letters the filter selects; answers the job.</summary>
public sealed record StartBulkReplay(DeadLetterFilter Filter) : IRequest<ReplayJobView>;

public sealed record GetReplayJob(Guid Id) : IRequest<ReplayJobView>;

/// <summary>Queues the replay of one dead letter as a background job; answers the job's id.</summary>
public sealed record QueueDeadLetterReplay(Guid Id) : IRequest<string>;

public sealed record ReplayJobView(Guid Id, string Kind, string Status, long Total, long Processed, JsonElement Filter, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error)
{
    public static ReplayJobView From(ReplayJob job) => new(
        job.Id, "dead-letter-replay", job.Status.ToString().ToLowerInvariant(), job.Total, job.Processed,
        JsonDocument.Parse(job.Filter).RootElement.Clone(), job.CreatedAt, job.StartedAt, job.FinishedAt, job.Error);
}

internal sealed class DeadLetterCommandHandlers(IWebhooksDbContext db, IOutboxNotifier relay, IReplayJobScheduler scheduler, TimeProvider clock) :
    IRequestHandler<ReplayDeadLetter, DeadLetterSummary>,
    IRequestHandler<ArchiveDeadLetter, DeadLetterSummary>,
    IRequestHandler<StartBulkReplay, ReplayJobView>,
    IRequestHandler<GetReplayJob, ReplayJobView>,
    IRequestHandler<QueueDeadLetterReplay, string>
{
    internal static readonly JsonSerializerOptions FilterJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<DeadLetterSummary> Handle(ReplayDeadLetter command, CancellationToken cancellationToken)
    {
        var letter = await Find(command.Id, cancellationToken);
        await Requeue([letter], clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        relay.Notify();
        return DeadLetterSummary.From(letter);
    }

    public async Task<DeadLetterSummary> Handle(ArchiveDeadLetter command, CancellationToken cancellationToken)
    {
        var letter = await Find(command.Id, cancellationToken);
        Transition(() => letter.Archive(clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return DeadLetterSummary.From(letter);
    }

    public async Task<ReplayJobView> Handle(StartBulkReplay command, CancellationToken cancellationToken)
    {
        var total = await command.Filter.ApplyTo(db.DeadLetters.Where(d => d.Status == DeadLetterStatus.Dead)).LongCountAsync(cancellationToken);
        var job = ReplayJob.Queue(JsonSerializer.Serialize(command.Filter, FilterJson), total, clock.GetUtcNow());
        db.ReplayJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleAsync(job.Id, cancellationToken);
        return ReplayJobView.From(job);
    }

    public async Task<string> Handle(QueueDeadLetterReplay command, CancellationToken cancellationToken)
    {
        var letter = await db.DeadLetters.AsNoTracking().FirstOrDefaultAsync(d => d.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Dead letter", command.Id);
        return await scheduler.ScheduleReplayAsync(letter.Id, cancellationToken);
    }

    public async Task<ReplayJobView> Handle(GetReplayJob query, CancellationToken cancellationToken) =>
        ReplayJobView.From(await db.ReplayJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Job", query.Id));

    /// <summary>Back to the outbox with the same id; the dead letter records when it was replayed.</summary>
    internal async Task Requeue(IReadOnlyList<DeadLetter> letters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = letters.Select(l => l.EventId).ToList();
        var events = await db.Outbox.Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        foreach (var letter in letters)
        {
            Transition(() => letter.MarkReplayed(now));
            if (!events.TryGetValue(letter.EventId, out var outbox))
            {
                throw new ConflictException($"The event {letter.EventId} of dead letter {letter.Id} is no longer in the outbox (retention).");
            }

            outbox.Requeue(now);
        }
    }

    /// <summary>The letter, locked for this transaction: two replays of it at once put its event back once.</summary>
    private async Task<DeadLetter> Find(Guid id, CancellationToken cancellationToken) =>
        await db.DeadLetterLocked(id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Dead letter", id);

    private static void Transition(Action change)
    {
        try
        {
            change();
        }
        catch (InvalidOperationException ex)
        {
            throw new ConflictException(ex.Message);
        }
    }
}
