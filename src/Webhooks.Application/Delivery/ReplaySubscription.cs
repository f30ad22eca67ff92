using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery;

/// <summary>
/// Queues again what the subscription gave up on or missed since <paramref name="Since"/> (default: when it was
/// disabled, else a day ago).
/// </summary>
public sealed record ReplaySubscription(Guid Id, DateTimeOffset? Since) : IRequest<ReplayResult>;

public sealed record ReplayResult(Guid SubscriptionId, DateTimeOffset Since, int Queued);

internal sealed class ReplaySubscriptionHandler(IDeliveryStore store, TimeProvider clock) : IRequestHandler<ReplaySubscription, ReplayResult>
{
    public async Task<ReplayResult> Handle(ReplaySubscription command, CancellationToken cancellationToken)
    {
        var subscription = await store.FindAsync(command.Id, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        var since = command.Since ?? subscription.DisabledAt ?? clock.GetUtcNow().AddDays(-1);
        var queued = await store.ReplayAsync(command.Id, since, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        return new ReplayResult(command.Id, since, queued);
    }
}
