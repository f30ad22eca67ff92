using MediatR;
using Webhooks.Application.Common.Paging;
using Webhooks.Domain.Alerts;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>Alerts, newest first: by status (open, acknowledged, resolved), kind and source.</summary>
public sealed record ListAlerts(string? Status, string? Kind, string? Source, string? Cursor, int? Limit) : IRequest<Page<AlertView>>;

internal sealed class ListAlertsHandler(IAlertStore alerts) : IRequestHandler<ListAlerts, Page<AlertView>>
{
    public async Task<Page<AlertView>> Handle(ListAlerts query, CancellationToken cancellationToken)
    {
        var status = string.IsNullOrEmpty(query.Status) ? (AlertStatus?)null : Cursor.ParseStatus<AlertStatus>(query.Status, "open, acknowledged or resolved");
        var limit = Cursor.Limit(query.Limit);
        var rows = await alerts.ListAsync(status, NullIfEmpty(query.Kind), NullIfEmpty(query.Source), Cursor.Decode(query.Cursor), limit + 1, cancellationToken);
        return Cursor.ToPage([.. rows], limit, a => a.Id, AlertView.From);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
