namespace Webhooks.Domain.Audit;

/// <summary>One admin action: which key did what to which record, when, from where, and how it ended.</summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>The key's name ("admin" for Webhooks:Admin:ApiKey, else the name under Webhooks:Admin:Keys).</summary>
    public string Actor { get; private set; } = "";
    public string Role { get; private set; } = "";

    /// <summary>The method and route, e.g. "POST api/v1/admin/dead-letters/{id}/replay".</summary>
    public string Action { get; private set; } = "";

    /// <summary>The record acted on (its id or name), where the route names one.</summary>
    public string? Target { get; private set; }
    public int StatusCode { get; private set; }
    public string? ClientAddress { get; private set; }

    public static AuditEntry Record(string actor, string role, string action, string? target, int statusCode, string? clientAddress, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return new AuditEntry
        {
            Id = Guid.CreateVersion7(at),
            At = at,
            Actor = actor,
            Role = role,
            Action = action,
            Target = target,
            StatusCode = statusCode,
            ClientAddress = clientAddress,
        };
    }
}
