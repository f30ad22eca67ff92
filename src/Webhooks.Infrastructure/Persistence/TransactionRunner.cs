using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>One transaction around a command, inside the provider's execution strategy (eShop's transaction behaviour).</summary>
internal sealed class TransactionRunner(WebhooksDbContext db) : ITransactionRunner
{
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
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
