using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Http;

/// <summary>Webhooks:Ingest (the Api's part): what reading bodies that are not verified yet may cost.</summary>
public sealed class IngestLimitOptions
{
    /// <summary>Memory held at once for bodies not yet verified, across every client (contract v3, Operations).</summary>
    [Range(1024 * 1024, 64L * 1024 * 1024 * 1024)]
    public long UnverifiedBudgetBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long an ingest request may take to arrive whole: a slow or stalled sender is cut off after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A client's share of the budget (an IPv4 address, or an IPv6 /64): one eighth.</summary>
    public long PerClientBytes => UnverifiedBudgetBytes / 8;
}

/// <summary>
/// The memory held for request bodies that have not been verified yet, bounded in total and per client: bytes are
/// charged as they arrive (what Content-Length announces costs nothing), and released when the request ends. A client
/// past its share of <see cref="IngestLimitOptions.UnverifiedBudgetBytes"/> — or any client once the budget is spent —
/// is answered 503 with Retry-After, while clients within their share are served: one address sending large bodies
/// fast, slowly or forever holds at most an eighth of the budget, and the gateway's memory stays bounded.
/// </summary>
public sealed class UnverifiedBodies(IOptions<IngestLimitOptions> options)
{
    private readonly Dictionary<string, long> perClient = new(StringComparer.Ordinal);
    private readonly long budget = options.Value.UnverifiedBudgetBytes;
    private readonly long share = options.Value.PerClientBytes;
    private long total;

    /// <summary>Bytes held now, by every client.</summary>
    public long Held => Interlocked.Read(ref total);

    internal int TrackedClients
    {
        get
        {
            lock (perClient)
            {
                return perClient.Count;
            }
        }
    }

    /// <summary>A reading of one client's body; dispose it when the request ends.</summary>
    public Charge Open(string client) => new(this, client);

    private bool TryAdd(string client, long bytes)
    {
        lock (perClient)
        {
            var held = perClient.GetValueOrDefault(client);
            if (held + bytes > share || total + bytes > budget)
            {
                return false;
            }

            perClient[client] = held + bytes;
            total += bytes;
            return true;
        }
    }

    private void Release(string client, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        lock (perClient)
        {
            total -= bytes;
            var left = perClient.GetValueOrDefault(client) - bytes;
            if (left <= 0)
            {
                perClient.Remove(client);
            }
            else
            {
                perClient[client] = left;
            }
        }
    }

    /// <summary>The bytes one request holds; all released at once when it is disposed.</summary>
    public sealed class Charge(UnverifiedBodies owner, string client) : IDisposable
    {
        private long held;

        /// <summary>Charges <paramref name="bytes"/> more.</summary>
        /// <exception cref="BodyBudgetExceededException">The client's share, or the whole budget, would be exceeded.</exception>
        public void Add(long bytes)
        {
            if (!owner.TryAdd(client, bytes))
            {
                throw new BodyBudgetExceededException();
            }

            held += bytes;
        }

        public void Dispose()
        {
            owner.Release(client, held);
            held = 0;
        }
    }
}

/// <summary>Answered 503 with Retry-After: this client's unverified bodies already hold its share of memory.</summary>
public sealed class BodyBudgetExceededException()
    : Exception("Request bodies from this address already hold their share of the memory for unverified bodies (Webhooks:Ingest:UnverifiedBudgetBytes); retry later.");

/// <summary>Answered 408: the request did not arrive whole within Webhooks:Ingest:RequestTimeout.</summary>
public sealed class IngestRequestTimeoutException(TimeSpan timeout)
    : Exception($"The request body did not arrive within {timeout.TotalSeconds:0} s (Webhooks:Ingest:RequestTimeout).");
