namespace Webhooks.Domain.Alerts;

public enum AlertSeverity
{
    Warning = 1,
    Critical = 2,
}

public enum AlertStatus
{
    Open = 1,
    Acknowledged = 2,
    Resolved = 3,
}

/// <summary>What one evaluation measured for one (kind, subject): the value and, when a threshold is crossed, how badly.</summary>
/// <param name="Subject">The source name, the subscription id, or "gateway".</param>
/// <param name="Severity">Null when the condition does not hold (or the sample is too small to judge).</param>
public sealed record AlertReading(string Kind, string Subject, double Value, AlertSeverity? Severity, double Threshold, int WindowSeconds);

/// <summary>What an observation did to an alert, and so what is published.</summary>
public enum AlertChange
{
    None,

    /// <summary>Opened, or its severity changed: published as <c>evt.gateway.alert.opened</c>.</summary>
    Opened,

    /// <summary>Published as <c>evt.gateway.alert.resolved</c>.</summary>
    Resolved,
}

/// <summary>
/// An issue an operator should know about, with a lifecycle: opened → acknowledged → resolved. It resolves by itself
/// only when its condition has stayed clear for <c>clearFor</c> (hysteresis: a rate hovering at the threshold does not
/// open and close it every minute); an operator may resolve it at any time.
/// </summary>
public sealed class Alert
{
    private Alert()
    {
    }

    public Guid Id { get; private set; }
    public string Kind { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public AlertSeverity Severity { get; private set; }
    public AlertStatus Status { get; private set; }
    public double Value { get; private set; }
    public double Threshold { get; private set; }
    public int WindowSeconds { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Since when the condition has been clear (null while it holds).</summary>
    public DateTimeOffset? ClearSince { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsActive => Status != AlertStatus.Resolved;

    public static Alert Open(AlertReading reading, DateTimeOffset now)
    {
        if (reading.Severity is not { } severity)
        {
            throw new ArgumentException("Only a reading over its threshold opens an alert.", nameof(reading));
        }

        return new Alert
        {
            Id = Guid.CreateVersion7(now),
            Kind = reading.Kind,
            Subject = reading.Subject,
            Severity = severity,
            Status = AlertStatus.Open,
            Value = reading.Value,
            Threshold = reading.Threshold,
            WindowSeconds = reading.WindowSeconds,
            OpenedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Takes this evaluation's reading of the alert's condition.</summary>
    public AlertChange Observe(AlertReading reading, DateTimeOffset now, TimeSpan clearFor)
    {
        if (!IsActive)
        {
            return AlertChange.None;
        }

        UpdatedAt = now;
        if (reading.Severity is { } severity)
        {
            ClearSince = null;
            Value = reading.Value;
            if (severity == Severity)
            {
                return AlertChange.None;
            }

            Severity = severity;
            Threshold = reading.Threshold;
            return AlertChange.Opened;
        }

        ClearSince ??= now;
        if (now - ClearSince.Value < clearFor)
        {
            return AlertChange.None;
        }

        Value = reading.Value;
        ResolvedAt = now;
        Status = AlertStatus.Resolved;
        return AlertChange.Resolved;
    }

    public void Acknowledge(DateTimeOffset now)
    {
        if (Status != AlertStatus.Open)
        {
            throw new InvalidOperationException($"Only an open alert can be acknowledged; this one is {Status.ToString().ToLowerInvariant()}.");
        }

        Status = AlertStatus.Acknowledged;
        AcknowledgedAt = now;
        UpdatedAt = now;
    }

    /// <summary>An operator resolves it (published like an automatic resolution).</summary>
    public void Resolve(DateTimeOffset now)
    {
        if (Status == AlertStatus.Resolved)
        {
            throw new InvalidOperationException("The alert is already resolved.");
        }

        Status = AlertStatus.Resolved;
        ResolvedAt = now;
        UpdatedAt = now;
    }
}
