using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>A new generated secret; the previous ones keep signing for the overlap (24 hours unless given).</summary>
public sealed record RotateSubscriptionSecret(Guid Id, int? ExpirePreviousAfterSeconds, string? Application = null) : IRequest<SubscriptionView>, ITransactionalCommand, IApplicationScoped;

internal sealed class RotateSubscriptionSecretHandler(IWebhooksDbContext db, ISubscriptionProtector protector, ApplicationScope scope, TimeProvider clock)
    : IRequestHandler<RotateSubscriptionSecret, SubscriptionView>
{
    public async Task<SubscriptionView> Handle(RotateSubscriptionSecret command, CancellationToken cancellationToken)
    {
        if (command.ExpirePreviousAfterSeconds is < 0 or > 7 * 86_400)
        {
            throw new ValidationException("expire_previous_after_seconds must be between 0 and 604800 (7 days).");
        }

        // Locked: two rotations at once would each keep their own new secret without an expiry.
        // The lock first, then a fresh read: a statement that waits for the lock keeps the snapshot it started with,
        // so secrets another change added meanwhile would be missing from a join in that same statement.
        _ = await db.SubscriptionLocked(command.Id).Select(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        var subscription = await db.Subscriptions.Include(s => s.Secrets).FirstOrDefaultAsync(s => s.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Subscription", command.Id);
        scope.Require(subscription.ApplicationId, "Subscription", command.Id);
        var secret = OutboundSignature.NewSecret();
        var now = clock.GetUtcNow();
        subscription.RotateSecret(SubscriptionMapping.NewSecret(secret, protector, now), TimeSpan.FromSeconds(command.ExpirePreviousAfterSeconds ?? 86_400), now);
        await db.SaveChangesAsync(cancellationToken);
        return SubscriptionMapping.View(subscription, protector) with { Secret = secret };
    }
}
