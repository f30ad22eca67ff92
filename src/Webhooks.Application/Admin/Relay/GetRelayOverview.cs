using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Admin.Relay;

/// <summary>The relay's state as the outbox shows it: the backlog, the events being retried and their next attempts.</summary>
public sealed record GetRelayOverview(int Upcoming = 20) : IRequest<RelayOverview>;

public sealed record RelayOverview(long Backlog, long Retrying, DateTimeOffset? OldestPendingAt, IReadOnlyList<RetryingEvent> NextAttempts);

public sealed record RetryingEvent(Guid Id, string Source, string EventType, int Attempts, DateTimeOffset NextAttemptAt, string? LastError);

internal sealed class GetRelayOverviewHandler(IWebhooksDbContext db) : IRequestHandler<GetRelayOverview, RelayOverview>
{
    public async Task<RelayOverview> Handle(GetRelayOverview query, CancellationToken cancellationToken)
    {
        var pending = db.Outbox.AsNoTracking().Where(o => o.Status == OutboxStatus.Pending);
        var backlog = await pending.LongCountAsync(cancellationToken);
        var retrying = await pending.LongCountAsync(o => o.Attempts > 0, cancellationToken);
        var oldest = await pending.OrderBy(o => o.CreatedAt).Select(o => (DateTimeOffset?)o.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var next = await pending.Where(o => o.Attempts > 0).OrderBy(o => o.NextAttemptAt).Take(Math.Clamp(query.Upcoming, 1, 200))
            .Select(o => new RetryingEvent(o.Id, o.Source, o.EventType, o.Attempts, o.NextAttemptAt, o.LastError))
            .ToListAsync(cancellationToken);
        return new RelayOverview(backlog, retrying, oldest, next);
    }
}
