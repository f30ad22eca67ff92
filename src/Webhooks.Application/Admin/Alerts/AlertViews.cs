using Webhooks.Domain.Alerts;

namespace Webhooks.Application.Admin.Alerts;

public sealed record AlertView(
    Guid Id, string Kind, string Severity, string Status, string? Source, string? SubscriptionId, double Value, double Threshold,
    int WindowSeconds, DateTimeOffset OpenedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt)
{
    public static AlertView From(Alert a) => new(
        a.Id, a.Kind, a.Severity.ToString().ToLowerInvariant(), a.Status.ToString().ToLowerInvariant(),
        a.Kind.StartsWith("subscription", StringComparison.Ordinal) || a.Subject == AlertRules.Gateway ? null : a.Subject,
        a.Kind.StartsWith("subscription", StringComparison.Ordinal) ? a.Subject : null,
        a.Value, a.Threshold, a.WindowSeconds, a.OpenedAt, a.AcknowledgedAt, a.ResolvedAt);
}

/// <summary>Where alerts live and how their transitions are published (the outbox and outbound fan-out, in one transaction).</summary>
public interface IAlertStore
{
    Task<IReadOnlyList<Alert>> ListAsync(AlertStatus? status, string? kind, string? subject, Guid? before, int limit, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the alert in one transaction with the transition it publishes (if any).</summary>
    Task<Alert?> ChangeAsync(Guid id, Func<Alert, bool> change, CancellationToken cancellationToken);

    /// <summary>One evaluation across instances: reads the conditions, applies the rules, publishes each transition once.</summary>
    Task<int> EvaluateAsync(CancellationToken cancellationToken);
}
