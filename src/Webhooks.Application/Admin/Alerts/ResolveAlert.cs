using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>An operator resolves an alert; <c>evt.gateway.alert.resolved</c> is published as for an automatic one.</summary>
public sealed record ResolveAlert(Guid Id) : IRequest<AlertView>;

internal sealed class ResolveAlertHandler(AlertEvaluator alerts, TimeProvider clock) : IRequestHandler<ResolveAlert, AlertView>
{
    public async Task<AlertView> Handle(ResolveAlert command, CancellationToken cancellationToken)
    {
        var alert = await alerts.ChangeAsync(command.Id, a =>
        {
            AcknowledgeAlertHandler.Transition(() => a.Resolve(clock.GetUtcNow()));
            return true;
        }, cancellationToken) ?? throw new NotFoundException("Alert", command.Id);
        return AlertView.From(alert);
    }
}
