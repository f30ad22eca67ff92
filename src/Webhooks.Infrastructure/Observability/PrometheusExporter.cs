using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// Renders the "Webhooks" meter's instruments in the Prometheus text format (no Prometheus exporter package is
/// available): a MeterListener aggregates counters and histograms per label set; gauges are observed at scrape time.
/// Process and runtime basics are added from the runtime's own counters.
/// </summary>
public sealed class PrometheusExporter : Application.Common.Abstractions.IMetricsExposition, IDisposable
{
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] SizeBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> sums = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), Histogram> histograms = new();
    private readonly ConcurrentDictionary<string, (string Type, string Help)> described = new();
    private readonly List<Instrument> gauges = [];

    public PrometheusExporter()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name != WebhooksMetrics.MeterName)
            {
                return;
            }

            var type = instrument switch
            {
                Counter<long> => "counter",
                Histogram<double> => "histogram",
                _ => "gauge",
            };
            described[instrument.Name] = (type, instrument.Description ?? instrument.Name);
            if (type == "gauge")
            {
                lock (gauges)
                {
                    gauges.Add(instrument);
                }
            }

            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public string Render()
    {
        var gaugeValues = new ConcurrentDictionary<(string Name, string Labels), double>();
        MeasurementCallback<long> longGauge = (instrument, value, tags, _) => gaugeValues[(instrument.Name, Labels(tags))] = value;
        MeasurementCallback<double> doubleGauge = (instrument, value, tags, _) => gaugeValues[(instrument.Name, Labels(tags))] = value;
        using (var scrape = new MeterListener())
        {
            scrape.InstrumentPublished = (instrument, l) =>
            {
                lock (gauges)
                {
                    if (gauges.Contains(instrument))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                }
            };
            scrape.SetMeasurementEventCallback(longGauge);
            scrape.SetMeasurementEventCallback(doubleGauge);
            scrape.SetMeasurementEventCallback<int>((instrument, value, tags, _) => gaugeValues[(instrument.Name, Labels(tags))] = value);
            scrape.Start();
            scrape.RecordObservableInstruments();
        }

        var text = new StringBuilder(4096);
        foreach (var (name, (type, help)) in described.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            switch (type)
            {
                case "counter":
                    foreach (var ((_, labels), value) in sums.Where(s => s.Key.Name == name).OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
                    {
                        Sample(text, name, labels, value);
                    }

                    break;
                case "histogram":
                    foreach (var ((_, labels), histogram) in histograms.Where(h => h.Key.Name == name).OrderBy(h => h.Key.Labels, StringComparer.Ordinal))
                    {
                        histogram.Write(text, name, labels);
                    }

                    break;
                default:
                    foreach (var ((_, labels), value) in gaugeValues.Where(g => g.Key.Name == name))
                    {
                        Sample(text, name, labels, value);
                    }

                    break;
            }
        }

        AppendProcess(text);
        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = (instrument.Name, Labels(tags));
        switch (instrument)
        {
            case Counter<long>:
                sums.AddOrUpdate(key, value, (_, current) => current + value);
                break;
            case Histogram<double>:
                histograms.GetOrAdd(key, _ => new Histogram(instrument.Unit == "s" ? SecondsBuckets : SizeBuckets)).Observe(value);
                break;
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{tag.Key}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("0.############", CultureInfo.InvariantCulture);

    private static void AppendProcess(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        void Gauge(string name, string type, string help, double value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            Sample(text, name, "", value);
        }

        Gauge("process_resident_memory_bytes", "gauge", "Resident memory", process.WorkingSet64);
        Gauge("process_cpu_seconds_total", "counter", "CPU time used", process.TotalProcessorTime.TotalSeconds);
        Gauge("process_start_time_seconds", "gauge", "Start time (Unix)", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds());
        Gauge("dotnet_gc_heap_bytes", "gauge", "Managed heap size", GC.GetTotalMemory(false));
        Gauge("dotnet_gc_collections_total", "counter", "Gen 2 collections", GC.CollectionCount(2));
        Gauge("dotnet_threadpool_threads", "gauge", "Thread pool threads", ThreadPool.ThreadCount);
    }

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] counts = new long[bounds.Length + 1];
        private double sum;
        private long count;

        public void Observe(double value)
        {
            var index = Array.FindIndex(bounds, b => value <= b);
            lock (counts)
            {
                counts[index < 0 ? bounds.Length : index]++;
                sum += value;
                count++;
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            lock (counts)
            {
                long cumulative = 0;
                var prefix = labels.Length > 0 ? labels + "," : "";
                for (var i = 0; i < bounds.Length; i++)
                {
                    cumulative += counts[i];
                    Sample(text, name + "_bucket", prefix + $"le=\"{Format(bounds[i])}\"", cumulative);
                }

                Sample(text, name + "_bucket", prefix + "le=\"+Inf\"", count);
                Sample(text, name + "_sum", labels, sum);
                Sample(text, name + "_count", labels, count);
            }
        }
    }
}
