using FluentValidation;
using MediatR;

namespace Webhooks.Application.Admin.Stats;

/// <summary>Counts, rates and latencies over [From, To); the default window is the last 24 hours.</summary>
public sealed record GetStats(DateTimeOffset? From, DateTimeOffset? To) : IRequest<StatsView>;

public sealed record Percentiles(double? P50, double? P95, double? P99, long Samples);

public sealed record InboxStats(long Total, IReadOnlyDictionary<string, long> BySource, IReadOnlyDictionary<string, long> ByStatus, IReadOnlyDictionary<string, long> ByTopic);

public sealed record EventStats(long Total, IReadOnlyDictionary<string, long> ByType, IReadOnlyDictionary<string, long> ByStatus, double? SuccessRate);

/// <summary>What this instance answered since it started (rejected requests are not stored, so only the process knows them).</summary>
public sealed record IngestStats(DateTimeOffset Since, long Received, IReadOnlyDictionary<string, long> ByOutcome, double? AcceptanceRate, Percentiles LatencyMs);

public sealed record RelayStats(Percentiles LatencyMs, long Backlog, double OldestAgeSeconds);

public sealed record DeadLetterReason(string Reason, long Count);

public sealed record DeadLetterStats(long Total, IReadOnlyList<DeadLetterReason> ByReason);

public sealed record StatsView(DateTimeOffset From, DateTimeOffset To, InboxStats Inbox, EventStats Events, IngestStats Ingest, RelayStats Relay, DeadLetterStats DeadLetters);

/// <summary>Reads the figures: the stored ones from the database, the ingest outcomes from this process.</summary>
public interface IStatsReader
{
    Task<StatsView> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

internal sealed class GetStatsValidator : AbstractValidator<GetStats>
{
    public GetStatsValidator() =>
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.From < q.To).WithMessage("from must be before to.");
}

internal sealed class GetStatsHandler(IStatsReader reader, TimeProvider clock) : IRequestHandler<GetStats, StatsView>
{
    public Task<StatsView> Handle(GetStats query, CancellationToken cancellationToken)
    {
        var to = query.To ?? clock.GetUtcNow();
        var from = query.From ?? to.AddDays(-1);
        return reader.ReadAsync(from, to, cancellationToken);
    }
}
