namespace Webhooks.Domain.Jobs;

public enum ReplayJobStatus
{
    Queued = 1,
    Running = 2,
    Completed = 3,
    Failed = 4,
}

/// <summary>
/// A bulk replay of relay dead letters, or a bulk retry of dead deliveries, chosen by a filter. It walks them in
/// (created_at, id) order and remembers the last one it took, so a restart resumes after it and nothing is taken twice.
/// </summary>
public sealed class ReplayJob
{
    /// <summary>The relay's dead letters, put back in the outbox.</summary>
    public const string DeadLetters = "dead-letters";

    /// <summary>Dead outbound deliveries, given a new series of attempts.</summary>
    public const string Deliveries = "deliveries";

    private ReplayJob()
    {
    }

    public Guid Id { get; private set; }

    /// <summary><see cref="DeadLetters"/> or <see cref="Deliveries"/>.</summary>
    public string Kind { get; private set; } = DeadLetters;
    public string Filter { get; private set; } = "{}";
    public ReplayJobStatus Status { get; private set; }
    public long Total { get; private set; }
    public long Processed { get; private set; }
    public DateTimeOffset? CursorCreatedAt { get; private set; }
    public Guid? CursorId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? Error { get; private set; }

    public static ReplayJob Queue(string filterJson, long total, DateTimeOffset now, string kind = DeadLetters) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        Filter = filterJson,
        Status = ReplayJobStatus.Queued,
        Total = total,
        CreatedAt = now,
    };

    public void Start(DateTimeOffset now)
    {
        if (Status is ReplayJobStatus.Completed or ReplayJobStatus.Failed)
        {
            throw new InvalidOperationException($"Replay job {Id} has already finished.");
        }

        Status = ReplayJobStatus.Running;
        StartedAt ??= now;
    }

    public void Advance(int replayed, DateTimeOffset lastCreatedAt, Guid lastId)
    {
        Processed += replayed;
        CursorCreatedAt = lastCreatedAt;
        CursorId = lastId;
    }

    public void Complete(DateTimeOffset now)
    {
        Status = ReplayJobStatus.Completed;
        FinishedAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        Status = ReplayJobStatus.Failed;
        Error = error;
        FinishedAt = now;
    }
}
