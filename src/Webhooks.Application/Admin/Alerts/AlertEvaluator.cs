using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Events;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Outbox;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>
/// Alert evaluation: measure (<see cref="IAlertTransaction.MeasureAsync"/>), judge with the Domain's
/// <see cref="AlertRules"/>, open, escalate and resolve the alerts, and publish each transition — and each finished
/// minute's rejections — once, in the transaction that decided it; the outbox writer also offers them to the outbound
/// subscriptions that name them. Operators' acknowledgements and resolutions go through <see cref="ChangeAsync"/>.
/// </summary>
public sealed partial class AlertEvaluator(
    IAlertStore store, IMinuteFigures minutes, ISourceCatalog sources, IOptions<AlertOptions> options, IOutboxNotifier relay, IDeliveryIntake deliveries,
    TimeProvider clock, ILogger<AlertEvaluator> logger)
{
    /// <summary>One evaluation across instances; answers how many alerts changed.</summary>
    public async Task<int> EvaluateAsync(CancellationToken cancellationToken)
    {
        await minutes.FlushAsync(cancellationToken);
        var settings = options.Value;
        var expected = sources.All.Where(s => s.Enabled && s.ExpectedEvery is not null).ToDictionary(s => s.Name, s => s.ExpectedEvery!.Value, StringComparer.Ordinal);
        var changed = await store.InTransactionAsync(evaluation: true, async transaction =>
        {
            var now = clock.GetUtcNow();
            var measured = await transaction.MeasureAsync(now, settings.Window, settings.StalledMinutes, expected, cancellationToken);
            var readings = AlertRules.Read(measured, (int)settings.Window.TotalSeconds, settings.Thresholds);
            var active = await transaction.ActiveAsync(cancellationToken);

            var changed = new List<Alert>();
            foreach (var alert in active)
            {
                var reading = readings.FirstOrDefault(r => r.Kind == alert.Kind && r.Subject == alert.Subject)
                    ?? new AlertReading(alert.Kind, alert.Subject, 0, null, alert.Threshold, alert.WindowSeconds); // nothing measured: clear
                if (alert.Observe(reading, now, settings.ClearFor) != AlertChange.None)
                {
                    changed.Add(alert);
                }
            }

            foreach (var reading in readings.Where(r => r.Severity is not null && !active.Any(a => a.Kind == r.Kind && a.Subject == r.Subject)))
            {
                var opened = Alert.Open(reading, now);
                transaction.Add(opened);
                changed.Add(opened);
            }

            var rejections = await transaction.ReportRejectionsAsync(now - settings.Window, now, cancellationToken);
            var events = changed.Select(a => GatewayEvents.AlertTransition(a, settings.DashboardUrl, now))
                .Concat(rejections.Select(r => GatewayEvents.Rejected(r, now)))
                .ToList();
            await transaction.SaveAsync(events, cancellationToken);
            return changed;
        }, cancellationToken);

        foreach (var alert in changed)
        {
            LogTransition(logger, alert.Kind, alert.Subject, alert.Status.ToString().ToLowerInvariant(), alert.Severity.ToString().ToLowerInvariant(), alert.Value);
        }

        Published();
        return changed.Count;
    }

    /// <summary>
    /// Applies an operator's <paramref name="change"/> to the alert, in one transaction with the transition it publishes
    /// when <paramref name="change"/> answers true; null when there is no such alert.
    /// </summary>
    public async Task<Alert?> ChangeAsync(Guid id, Func<Alert, bool> change, CancellationToken cancellationToken)
    {
        var alert = await store.InTransactionAsync(evaluation: false, async transaction =>
        {
            var alert = await transaction.FindAsync(id, cancellationToken);
            if (alert is null)
            {
                return null;
            }

            IReadOnlyList<OutboxMessage> events = change(alert) ? [GatewayEvents.AlertTransition(alert, options.Value.DashboardUrl, clock.GetUtcNow())] : [];
            await transaction.SaveAsync(events, cancellationToken);
            return alert;
        }, cancellationToken);
        Published();
        return alert;
    }

    /// <summary>After the commit: the relay publishes the transitions, the delivery workers send their deliveries.</summary>
    private void Published()
    {
        relay.Notify();
        deliveries.DeliveriesQueued();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Kind} for {Subject}: {Status}, {Severity} (value {Value})")]
    private static partial void LogTransition(ILogger logger, string kind, string subject, string status, string severity, double value);
}
