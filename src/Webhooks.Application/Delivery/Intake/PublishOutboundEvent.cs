using System.Text.Json;
using MediatR;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Intake;

/// <summary>
/// Takes an event in for delivery to every matching subscription of one application (idempotent by id): the one the
/// request names (<c>/api/v1/applications/{app}/events</c>, a CloudEvent's <c>applicationid</c>), else 'default'.
/// Inbound-mapped events (<paramref name="InboundOnly"/>) belong to no application: they reach the operators'
/// include_inbound subscriptions of every application.
/// </summary>
/// <param name="OccurredAt">When the event occurred, as its publisher says (a CloudEvent's time): every delivery's envelope timestamp; null: now.</param>
public sealed record PublishOutboundEvent(
    string? Id, string? Type, JsonElement? Data, string Origin, bool InboundOnly = false, DateTimeOffset? OccurredAt = null, string? Application = null)
    : IRequest<PublishedEvent>, IApplicationScoped;

internal sealed class PublishOutboundEventHandler(IDeliveryIntake intake, ApplicationScope scope) : IRequestHandler<PublishOutboundEvent, PublishedEvent>
{
    public Task<PublishedEvent> Handle(PublishOutboundEvent command, CancellationToken cancellationToken) =>
        intake.IntakeAsync(
            new OutboundEvent(command.Id ?? "evt_" + Guid.CreateVersion7().ToString("N"), command.Type!, command.Data!.Value, command.Origin,
                OccurredAt: command.OccurredAt, ApplicationId: command.InboundOnly ? null : scope.ForNew()),
            command.InboundOnly, cancellationToken);
}
