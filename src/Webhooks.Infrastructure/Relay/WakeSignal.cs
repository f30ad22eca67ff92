namespace Webhooks.Infrastructure.Relay;

/// <summary>A wake-up for a worker loop: any number of notifications before it waits become one.</summary>
internal class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim pending = new(0, 1);

    public void Notify()
    {
        if (pending.CurrentCount == 0)
        {
            try
            {
                pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification came first; one wake-up covers both.
            }
        }
    }

    public void Dispose()
    {
        pending.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns true when signalled, false when the timeout passed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => pending.WaitAsync(timeout, cancellationToken);
}
