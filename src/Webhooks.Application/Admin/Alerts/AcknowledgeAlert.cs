using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>An operator takes an open alert: it stays active (and resolves when its condition clears) but is owned.</summary>
public sealed record AcknowledgeAlert(Guid Id) : IRequest<AlertView>;

internal sealed class AcknowledgeAlertHandler(AlertEvaluator alerts, TimeProvider clock) : IRequestHandler<AcknowledgeAlert, AlertView>
{
    public async Task<AlertView> Handle(AcknowledgeAlert command, CancellationToken cancellationToken)
    {
        var alert = await alerts.ChangeAsync(command.Id, a =>
        {
            Transition(() => a.Acknowledge(clock.GetUtcNow()));
            return false; // nothing is published for an acknowledgement
        }, cancellationToken) ?? throw new NotFoundException("Alert", command.Id);
        return AlertView.From(alert);
    }

    internal static void Transition(Action change)
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
