using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Ingestion;

/// <summary>Webhooks:Ingest — how concurrent deliveries are committed together.</summary>
internal sealed class IngestOptions
{
    /// <summary>Concurrent writer loops; while one commits, the next batch forms.</summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 4;

    [Range(1, 5000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long a request waits for its commit before answering 503 (the contract allows 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:09")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Load shedding: while queued webhooks wait longer than this for a writer, new ones are answered 503 with
    /// Retry-After at once instead of joining a queue they would time out in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:09")]
    public TimeSpan ShedAfter { get; set; } = TimeSpan.FromSeconds(2);
}
