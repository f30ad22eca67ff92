using System.Collections.Concurrent;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// This process's ingest outcomes since start, and its latest ingest durations (a fixed ring of samples, so the
/// percentiles the stats report cost constant memory whatever the traffic).
/// </summary>
public sealed class IngestTally(TimeProvider clock)
{
    private const int Capacity = 4096;
    private readonly ConcurrentDictionary<string, long> outcomes = new(StringComparer.Ordinal);
    private readonly double[] samples = new double[Capacity];
    private long written;

    public DateTimeOffset Since { get; } = clock.GetUtcNow();

    public void Record(string outcome, double seconds)
    {
        outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        var slot = Interlocked.Increment(ref written) - 1;
        Volatile.Write(ref samples[slot % Capacity], seconds);
    }

    public IReadOnlyDictionary<string, long> Outcomes => new SortedDictionary<string, long>(outcomes, StringComparer.Ordinal);

    /// <summary>The latest samples (up to 4,096), sorted.</summary>
    public double[] Latest()
    {
        var count = (int)Math.Min(Interlocked.Read(ref written), Capacity);
        var copy = samples[..count];
        Array.Sort(copy);
        return copy;
    }
}
