using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Api.Infrastructure;

/// <summary>
/// How many request bodies one client (IPv6 by /64) may have the gateway reading at once. Further requests from that
/// client wait — their bytes stay in the kernel's socket buffers, not in the process — and are answered 503 with
/// Retry-After if no reader frees up in time. Thousands of connections trickling announced 10 MiB bodies then hold a
/// few dozen buffers, not thousands. 64 concurrent reads per client is beyond what the gateway commits per second
/// from one sender, so authentic deliveries do not meet the gate below capacity.
/// </summary>
public sealed class BodyReaders(IOptions<RateLimitOptions> options)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, Gate> gates = new(StringComparer.Ordinal);
    private readonly int perClient = options.Value.MaxConcurrentBodiesPerClient;

    internal int TrackedClients
    {
        get
        {
            lock (gates)
            {
                return gates.Count;
            }
        }
    }

    /// <summary>Waits for a reader for <paramref name="client"/>; dispose the lease once the body is read.</summary>
    internal async Task<IDisposable> EnterAsync(string client, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (gates)
        {
            if (!gates.TryGetValue(client, out gate!))
            {
                gate = new Gate(perClient);
                gates[client] = gate;
            }

            gate.Users++;
        }

        try
        {
            if (!await gate.Semaphore.WaitAsync(Wait, cancellationToken))
            {
                throw new StorageUnavailableException(
                    $"This client already has {perClient} request bodies being read; the gateway is busy with them.");
            }
        }
        catch
        {
            Leave(client, gate, release: false);
            throw;
        }

        return new Lease(this, client, gate);
    }

    private void Leave(string client, Gate gate, bool release)
    {
        if (release)
        {
            gate.Semaphore.Release();
        }

        lock (gates)
        {
            if (--gate.Users == 0)
            {
                gates.Remove(client);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate(int readers)
    {
        public SemaphoreSlim Semaphore { get; } = new(readers, readers);

        public int Users { get; set; }
    }

    private sealed class Lease(BodyReaders owner, string client, Gate gate) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Leave(client, gate, release: true);
            }
        }
    }
}
