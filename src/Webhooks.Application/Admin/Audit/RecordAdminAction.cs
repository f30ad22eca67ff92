using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Audit;

namespace Webhooks.Application.Admin.Audit;

/// <summary>Writes one admin action to the audit log (the Api records every state-changing admin request).</summary>
public sealed record RecordAdminAction(string Actor, string Role, string Action, string? Target, int StatusCode, string? ClientAddress) : IRequest<Guid>;

internal sealed class RecordAdminActionHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<RecordAdminAction, Guid>
{
    public async Task<Guid> Handle(RecordAdminAction command, CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Record(command.Actor, command.Role, command.Action, command.Target, command.StatusCode, command.ClientAddress, clock.GetUtcNow());
        db.AuditLog.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry.Id;
    }
}
