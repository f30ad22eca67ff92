using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// One transaction around a command, inside the provider's execution strategy (eShop's transaction behaviour). The
/// DbContext is resolved on first use: every request passes the transaction behaviour, and ingest, which commits
/// through its own batching writer, should not build a DbContext it never touches.
/// </summary>
internal sealed class TransactionRunner(Lazy<WebhooksDbContext> context) : ITransactionRunner
{
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var db = context.Value;
        if (db.Database.CurrentTransaction is not null)
        {
            return work(); // already inside one (a command sent from within a transactional command)
        }

        return db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        });
    }
}
