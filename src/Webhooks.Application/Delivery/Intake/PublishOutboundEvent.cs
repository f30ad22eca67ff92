using System.Text.Json;
using MediatR;

namespace Webhooks.Application.Delivery.Intake;

/// <summary>Takes an event in for delivery to every matching subscription (idempotent by id).</summary>
/// <param name="OccurredAt">When the event occurred, as its publisher says (a CloudEvent's time): every delivery's envelope timestamp; null: now.</param>
public sealed record PublishOutboundEvent(string? Id, string? Type, JsonElement? Data, string Origin, bool InboundOnly = false, DateTimeOffset? OccurredAt = null) : IRequest<PublishedEvent>;

internal sealed class PublishOutboundEventHandler(IDeliveryIntake intake) : IRequestHandler<PublishOutboundEvent, PublishedEvent>
{
    public Task<PublishedEvent> Handle(PublishOutboundEvent command, CancellationToken cancellationToken) =>
        intake.IntakeAsync(new OutboundEvent(command.Id ?? "evt_" + Guid.CreateVersion7().ToString("N"), command.Type!, command.Data!.Value, command.Origin, OccurredAt: command.OccurredAt), command.InboundOnly, cancellationToken);
}
