using MediatR;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Delivery.Deliveries;

namespace Webhooks.Api.Admin;

/// <summary>
/// What needs an operator: the relay's dead letters and the dead outbound deliveries, side by side, with their
/// actions. One partial view (_FailedWork) draws it on /admin and inside the Hangfire Dashboard; its forms post to the
/// /admin actions either way, which send the browser back to <see cref="ReturnTo"/>.
/// </summary>
/// <param name="ReturnTo">The page the forms come back to (/admin/dead-letters or /hangfire/dead-letters).</param>
/// <param name="CanAct">Whether the key may act (a read-only key sees the lists only).</param>
public sealed record FailedWork(
    Page<DeadLetterSummary> Letters, DeadLetterFilter LetterFilter, Page<DeliverySummary> Deliveries, DeliveryFilter DeliveryFilter, string ReturnTo, bool CanAct)
{
    public const string View = "_FailedWork";

    /// <summary>
    /// The two lists as a dashboard query asks for them: dead letters by source, event_type, error_contains and
    /// cursor; dead deliveries by subscription_id, event and delivery_cursor.
    /// </summary>
    public static async Task<FailedWork> LoadAsync(IMediator mediator, IQueryCollection query, string returnTo, bool canAct, CancellationToken cancellationToken)
    {
        string? Value(string name) => query[name].ToString() is { Length: > 0 } value ? value : null;
        var letterFilter = new DeadLetterFilter(Value("source"), Value("event_type"), null, null, Value("error_contains"));
        var deliveryFilter = new DeliveryFilter(Domain.Delivery.DeliveryStatuses.Text(Domain.Delivery.DeliveryStatus.Dead), Guid.TryParse(Value("subscription_id"), out var subscription) ? subscription : null, Value("event"));
        var letters = await mediator.Send(new ListDeadLetters(letterFilter, "dead", Value("cursor"), 50), cancellationToken);
        var deliveries = await mediator.Send(new ListDeliveries(deliveryFilter, 50, Value("delivery_cursor")), cancellationToken);
        return new FailedWork(letters, letterFilter, deliveries, deliveryFilter, returnTo, canAct);
    }

    /// <summary>Where a link or form on the page leads back, with a query (values encoded).</summary>
    public string Back(params (string Name, string? Value)[] query) =>
        ReturnTo + (query.Any(q => q.Value is not null)
            ? "?" + string.Join('&', query.Where(q => q.Value is not null).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}"))
            : "");

    /// <summary>A return_to value the actions accept: a dashboard page of this service, never another site.</summary>
    public static string SafeReturn(string? returnTo, string fallback) =>
        returnTo is { Length: > 1 } path && path[0] == '/' && path[1] != '/' && path[1] != '\\'
            && (path.StartsWith("/admin", StringComparison.Ordinal) || path.StartsWith("/hangfire", StringComparison.Ordinal))
            ? path
            : fallback;
}
