using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;

namespace Webhooks.UnitTests.Ingestion;

public sealed class CloudEventEnvelopeTests
{
    [Fact]
    public void Write_ProducesStructuredCloudEventWithContractExtensions()
    {
        var id = Guid.CreateVersion7();
        var inbox = Guid.CreateVersion7();
        var time = new DateTimeOffset(2026, 11, 22, 8, 30, 15, 123, TimeSpan.Zero);
        var mapped = new MappedEvent("evt.webhook.order.created", "820982911946154508", new JsonObject { ["order_id"] = 820982911946154508 });

        var json = CloudEventEnvelope.Write(id, "shopify", "shopify", "orders/create", mapped, time, inbox, "corr-9", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", out _);

        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("specversion").GetString().Should().Be("1.0");
        root.GetProperty("id").GetString().Should().Be(id.ToString());
        root.GetProperty("source").GetString().Should().Be("/webhooks/shopify");
        root.GetProperty("type").GetString().Should().Be("evt.webhook.order.created");
        root.GetProperty("time").GetString().Should().Be("2026-11-22T08:30:15.123000Z");
        root.GetProperty("subject").GetString().Should().Be("820982911946154508");
        root.GetProperty("datacontenttype").GetString().Should().Be("application/json");
        root.GetProperty("data").GetProperty("order_id").GetInt64().Should().Be(820982911946154508);
        root.GetProperty("inboxid").GetString().Should().Be(inbox.ToString());
        root.GetProperty("provider").GetString().Should().Be("shopify");
        root.GetProperty("topic").GetString().Should().Be("orders/create");
        root.GetProperty("correlationid").GetString().Should().Be("corr-9");
        root.GetProperty("traceparent").GetString().Should().StartWith("00-0af7651916cd43dd8448eb211c80319c-");
    }

    /// <summary>A provider's text is carried as it is: six bytes of \uXXXX for every &lt; or é once made large events stall the outbox.</summary>
    [Fact]
    public void Write_KeepsHtmlCharactersAndNonAsciiText_Unescaped()
    {
        var mapped = new MappedEvent("evt.webhook.order.created", null, new JsonObject { ["note"] = "<b>Tom & Jerry</b> + café 東京" });

        var json = CloudEventEnvelope.Write(Guid.NewGuid(), "shopify", "shopify", null, mapped, DateTimeOffset.UnixEpoch, null, null, null, out _);

        json.Should().Contain("\"note\":\"<b>Tom & Jerry</b> + café 東京\"");
    }

    [Fact]
    public void Write_WithoutSubject_OmitsIt()
    {
        var json = CloudEventEnvelope.Write(Guid.NewGuid(), "s", "hmac", null, new MappedEvent("evt.webhook.received", null, []), DateTimeOffset.UnixEpoch, null, null, null, out _);

        var root = JsonDocument.Parse(json).RootElement;
        root.TryGetProperty("subject", out _).Should().BeFalse();
        root.TryGetProperty("topic", out _).Should().BeFalse();
    }
}
