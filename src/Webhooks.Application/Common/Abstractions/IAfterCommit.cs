namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// Work that must wait for the current transaction to commit — waking a worker for rows it wrote, reloading a cache
/// from them: done before the commit, it would find nothing yet. Outside a transaction it runs at once; a transaction
/// that does not commit forgets it.
/// </summary>
public interface IAfterCommit
{
    Task AddAsync(Func<Task> work);
}
