using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Webhooks.Api.Infrastructure;

/// <summary>
/// Counts failures per key (a client address, perhaps with what it addressed) in a token bucket. Only failures are
/// counted and only failures are refused: once a key's bucket is empty, its next failure is answered 429 with the
/// time until a token returns, while a request that succeeds is never touched. The table of keys is bounded: past
/// <c>maxKeys</c> new keys share one overflow bucket (which can only ever cost them failures), and buckets that have
/// refilled are swept away.
/// </summary>
internal sealed class FailureThrottle(TimeProvider clock, int burst, double tokensPerSecond, int maxKeys = 100_000)
{
    public const string OverflowKey = "(overflow)";
    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
    private long lastSweep;

    public int TrackedKeys => buckets.Count;

    /// <summary>Records one failure for <paramref name="key"/>; returns how long to wait when the key is over its budget.</summary>
    public TimeSpan? RecordFailure(string key)
    {
        var now = clock.GetTimestamp();
        if (buckets.Count >= maxKeys && !buckets.ContainsKey(key))
        {
            Sweep(now);
            if (buckets.Count >= maxKeys)
            {
                key = OverflowKey;
            }
        }

        var bucket = buckets.GetOrAdd(key, _ => new Bucket(burst, now));
        lock (bucket)
        {
            bucket.Refill(now, burst, tokensPerSecond, clock);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return null;
            }

            return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((1 - bucket.Tokens) / tokensPerSecond)));
        }
    }

    /// <summary>Whether <paramref name="key"/> has no failure left (its next failure would be refused).</summary>
    public bool IsExhausted(string key)
    {
        if (!buckets.TryGetValue(key, out var bucket))
        {
            return false;
        }

        lock (bucket)
        {
            bucket.Refill(clock.GetTimestamp(), burst, tokensPerSecond, clock);
            return bucket.Tokens < 1;
        }
    }

    /// <summary>A client's address as throttling sees it: IPv4 as is, IPv6 by its /64 (one subscriber's whole prefix).</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref lastSweep);
        if (clock.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1) || Interlocked.CompareExchange(ref lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, bucket) in buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, burst, tokensPerSecond, clock);
                if (bucket.Tokens >= burst)
                {
                    buckets.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        private long At { get; set; } = at;

        public void Refill(long now, int burst, double perSecond, TimeProvider clock)
        {
            Tokens = Math.Min(burst, Tokens + clock.GetElapsedTime(At, now).TotalSeconds * perSecond);
            At = now;
        }
    }
}
