using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Webhooks.Application.Ingestion;

namespace Webhooks.Application.Delivery;

/// <summary>
/// The body of an outbound request (docs/contract.md, Outbound delivery): <c>{"id", "event", "timestamp",
/// "webhook_id", "attempt", "data"}</c>. <c>timestamp</c> is when the event occurred — the same on every attempt; the
/// signing timestamp header is the attempt's — so the body of any attempt can be written again from the delivery and
/// its event, as the logs show it.
/// </summary>
public static class DeliveryEnvelope
{
    /// <summary>The User-Agent of a subscription that sets none.</summary>
    public static readonly string DefaultUserAgent = $"Webhooks/{typeof(DeliveryEnvelope).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"}";

    public static byte[] Write(string messageId, string eventType, DateTimeOffset occurredAt, Guid subscriptionId, int attempt, JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, CloudEventEnvelope.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("id", messageId);
            json.WriteString("event", eventType);
            json.WriteString("timestamp", occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("webhook_id", subscriptionId.ToString());
            json.WriteNumber("attempt", attempt);
            json.WritePropertyName("data");
            data.WriteTo(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
