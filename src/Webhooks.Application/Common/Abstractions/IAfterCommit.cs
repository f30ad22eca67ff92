namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// Work that must wait for the current transaction to commit — waking a worker for rows it wrote, for one: signalled
/// before the commit, the worker can find nothing yet and sleep until its next poll. Outside a transaction it runs at once.
/// </summary>
public interface IAfterCommit
{
    void Add(Action work);
}
