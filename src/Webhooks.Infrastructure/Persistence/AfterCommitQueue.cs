using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Work queued until the request's transaction commits (<see cref="IAfterCommit"/>); outside a transaction it runs at
/// once. Whoever commits (<see cref="TransactionRunner"/>, or a save that opened its own transaction) runs what is
/// pending; a transaction that is retried or rolled back forgets it.
/// </summary>
internal sealed class AfterCommitQueue(Lazy<WebhooksDbContext> context) : IAfterCommit
{
    private readonly List<Func<Task>> pending = [];

    public Task AddAsync(Func<Task> work)
    {
        if (context.IsValueCreated && context.Value.Database.CurrentTransaction is not null)
        {
            pending.Add(work);
            return Task.CompletedTask;
        }

        return work();
    }

    /// <summary>Runs what the committed transaction queued, in order.</summary>
    public async Task RunPendingAsync()
    {
        var work = pending.ToArray();
        pending.Clear();
        foreach (var item in work)
        {
            await item();
        }
    }

    /// <summary>Forgets what a transaction that did not commit queued.</summary>
    public void Forget() => pending.Clear();
}
