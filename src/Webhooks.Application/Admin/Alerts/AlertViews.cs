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
