using System.Buffers;
using System.Text;
using System.Text.Json;
using Webhooks.Domain.Events;

namespace Webhooks.Application.Ingestion;

/// <summary>Writes a mapped event as a CloudEvents 1.0 structured-mode JSON document (docs/contract.md, Events on RabbitMQ).</summary>
public static class CloudEventEnvelope
{
    public const string ContentType = "application/cloudevents+json";

    /// <summary>
    /// JSON for machines, never embedded in HTML: only what JSON itself requires is escaped. The default encoder would
    /// turn every &lt;, &gt;, &amp;, + and non-ASCII character of a provider's body into \uXXXX — up to six times its size.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = Common.Json.StoredJson.MaxDepth + 8 };

    /// <summary>
    /// Writes the envelope; with <paramref name="markPayload"/>, <paramref name="payloadAt"/> is the UTF-16 index of
    /// the closing brace of <c>data</c>, where <c>,"payload":&lt;body&gt;</c> is put back when the event is published
    /// (else -1).
    /// </summary>
    public static string Write(
        Guid id,
        string source,
        string provider,
        string? topic,
        MappedEvent mapped,
        DateTimeOffset time,
        Guid? inboxId,
        string? correlationId,
        string? traceParent,
        out int payloadAt,
        string sourcePrefix = "/webhooks/",
        DateTimeOffset? providerTime = null,
        bool backfilled = false,
        bool markPayload = false)
    {
        payloadAt = -1;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", id.ToString());
            json.WriteString("source", sourcePrefix + source);
            json.WriteString("type", mapped.Type);
            json.WriteString("time", Timestamp(time));
            if (mapped.Subject is not null)
            {
                json.WriteString("subject", mapped.Subject);
            }

            json.WriteString("datacontenttype", "application/json");
            json.WritePropertyName("data");
            mapped.Data.WriteTo(json);
            if (markPayload)
            {
                json.Flush();
                payloadAt = Encoding.UTF8.GetCharCount(buffer.WrittenSpan[..^1]);
            }

            if (inboxId is { } inbox)
            {
                json.WriteString("inboxid", inbox.ToString());
            }

            json.WriteString("provider", provider);
            if (topic is not null)
            {
                json.WriteString("topic", topic);
            }

            if (providerTime is { } occurred)
            {
                json.WriteString("providertime", Timestamp(occurred));
            }

            if (correlationId is not null)
            {
                json.WriteString("correlationid", correlationId);
            }

            if (traceParent is not null)
            {
                json.WriteString("traceparent", traceParent);
            }

            if (backfilled)
            {
                // Recovered from the provider's API rather than received (contract v3, "Providers that never retry").
                json.WriteBoolean("backfilled", true);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The complete envelope: <paramref name="envelope"/> with <paramref name="body"/> as data.payload at <paramref name="payloadAt"/> (null body: <c>null</c>).</summary>
    public static string WithPayload(string envelope, int payloadAt, ReadOnlySpan<byte> body, bool bodyMissing = false) =>
        string.Concat(envelope.AsSpan(0, payloadAt), ",\"payload\":", bodyMissing ? "null" : Encoding.UTF8.GetString(body), envelope.AsSpan(payloadAt));

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
