using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// /metrics through prometheus-net, on a registry of this host's own (several hosts in one process keep their figures
/// apart). The code records on the "Webhooks" meter (System.Diagnostics.Metrics); this listener forwards each
/// measurement to the prometheus-net metric of the same name, type and labels — prometheus-net's MeterAdapter would
/// rename them (meter prefix) and turn counters into gauges, which would break every dashboard and alert rule.
/// Exposition, escaping, histogram buckets and the process figures are prometheus-net's.
/// </summary>
internal sealed class PrometheusExporter : Application.Common.Abstractions.IMetricsExposition, IDisposable
{
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] SizeBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

    private readonly CollectorRegistry registry = Metrics.NewCustomRegistry();
    private readonly MetricFactory factory;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, Forward> forwards = new();
    private readonly Gauge residentMemory;
    private readonly Counter allocated;

    public PrometheusExporter(WebhooksMetrics metrics)
    {
        factory = Metrics.WithCustomRegistry(registry);
        DotNetStats.Register(registry);
        residentMemory = factory.CreateGauge("process_resident_memory_bytes", "Resident memory");
        allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started");
        registry.AddBeforeCollectCallback(() =>
        {
            listener.RecordObservableInstruments();
            residentMemory.Set(Environment.WorkingSet);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
        });
        listener.InstrumentPublished = (instrument, own) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                own.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        registry.CollectAndExportAsTextAsync(destination, ExpositionFormat.PrometheusText, cancellationToken);

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        try
        {
            Send(instrument, value, tags);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // A measurement runs inside the caller's code (a relay batch, an ingest answer): exposition never fails it.
            System.Diagnostics.Trace.WriteLine($"metric {instrument.Name} not recorded: {ex.Message}");
        }
    }

    private void Send(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!forwards.TryGetValue(instrument, out var forward))
        {
            forward = forwards.GetOrAdd(instrument, Create(instrument, tags));
        }

        var values = new string[forward.Labels.Length];
        Array.Fill(values, "");
        foreach (var tag in tags)
        {
            var index = Array.IndexOf(forward.Labels, tag.Key);
            if (index < 0)
            {
                // Series would silently merge: an instrument records one set of tags (bounded values) everywhere.
                throw new InvalidOperationException($"tag '{tag.Key}' is not one of {instrument.Name}'s labels ({string.Join(", ", forward.Labels)})");
            }

            values[index] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
        }

        forward.Record(values, value);
    }

    /// <summary>The prometheus-net metric for an instrument: its labels are the first measurement's tag names, sorted.</summary>
    private Forward Create(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = tags[i].Key;
        }

        Array.Sort(labels, StringComparer.Ordinal);
        var help = instrument.Description ?? instrument.Name;
        switch (instrument)
        {
            case Counter<long> or Counter<int> or Counter<double>:
                var counter = factory.CreateCounter(instrument.Name, help, labels);
                return new Forward(labels, (values, value) => counter.WithLabels(values).Inc(value));
            case Histogram<double> or Histogram<long> or Histogram<int>:
                var histogram = factory.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = instrument.Unit == "s" ? SecondsBuckets : SizeBuckets });
                return new Forward(labels, (values, value) => histogram.WithLabels(values).Observe(value));
            default:
                var gauge = factory.CreateGauge(instrument.Name, help, labels);
                return new Forward(labels, (values, value) => gauge.WithLabels(values).Set(value));
        }
    }

    private sealed record Forward(string[] Labels, Action<string[], double> Record);
}
