using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Admin.Audit;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Audit;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// One transaction around a command, inside the provider's execution strategy (eShop's transaction behaviour). Just
/// before it commits, the admin action the request performs is added to the audit log (one row with the change it
/// records, or neither); once it has committed, the work queued with <see cref="IAfterCommit"/> runs. The DbContext is
/// resolved on first use: every request passes the transaction behaviour, and ingest, which commits through its own
/// batching writer, should not build a DbContext it never touches.
/// </summary>
internal sealed class TransactionRunner(Lazy<WebhooksDbContext> context, AfterCommitQueue afterCommit, AdminActionContext audit, TimeProvider clock) : ITransactionRunner
{
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var db = context.Value;
        if (db.Database.CurrentTransaction is not null)
        {
            return await work(); // already inside one (a command sent from within a transactional command)
        }

        var result = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            afterCommit.Forget(); // a retried attempt queues its own
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var value = await work();
            if (audit.TakeForCommit() is { } action)
            {
                db.AuditLog.Add(AuditEntry.Record(action.Actor, action.Role, action.Action, action.Target, StatusCodes.Committed, action.ClientAddress, clock.GetUtcNow()));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return value;
        });

        await afterCommit.RunPendingAsync();
        return result;
    }

    private static class StatusCodes
    {
        /// <summary>The status an action recorded with its own commit carries: it succeeded.</summary>
        public const int Committed = 200;
    }
}
