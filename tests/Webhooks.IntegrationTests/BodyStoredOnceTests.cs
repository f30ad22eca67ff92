using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// A webhook's body is written to PostgreSQL once, in its inbox row: the outbox keeps evt.webhook.received without it
/// and the relay puts the verified bytes back as data.payload when it publishes — byte for byte, never re-serialised
/// or re-escaped. What consumers of evt.webhook.received rely on (data.payload equal to the provider's JSON, last in
/// data) is protected here on the real broker.
/// </summary>
public sealed class BodyStoredOnceTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task TheReceivedEvent_CarriesTheVerifiedBodyByteForByte_WhileTheOutboxHoldsItNowhere()
    {
        await using var events = await EventCollector.StartAsync();
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        // Pretty-printed, with characters a default JSON encoder escapes (<, &, +, non-ASCII, an emoji) and an escape of
        // the sender's own (\u00e9): all must reach the consumer exactly as signed.
        var body = $$"""
            {
              "id": {{Random.Shared.NextInt64(1, long.MaxValue)}},
              "order_number": 1001,
              "note": "{{marker}} <b>Zürich</b> & co + 😀 caf\u00e9",
              "line_items": [ { "variant_id": 808950810, "quantity": 1, "price": "199.00" } ],
              "currency": "EUR"
            }
            """;
        using var client = app.CreateClient();

        var accepted = await (await client.SendAsync(Shopify.Delivery(body))).AcceptedAsync();

        var stored = await app.Database.ScalarAsync<string>(
            "SELECT envelope FROM outbox_messages WHERE inbox_id = $1 AND event_type = 'evt.webhook.received'", accepted.Id);
        stored.Should().NotContain(marker, "the body is stored once, in the inbox row");
        (await app.Database.ScalarAsync<int?>(
            "SELECT payload_at FROM outbox_messages WHERE inbox_id = $1 AND event_type = 'evt.webhook.received'", accepted.Id)).Should().NotBeNull();
        JsonDocument.Parse(stored).RootElement.GetProperty("data").TryGetProperty("payload", out _).Should().BeFalse();

        var received = (await Eventually.GetAsync(() => events.ForInbox(accepted.Id), e => e.Any(x => x.Type == "evt.webhook.received")))
            .Single(e => e.Type == "evt.webhook.received");
        received.Body.Should().Contain(",\"payload\":" + body + "}", "the verified bytes are embedded as they came, last in data");
        var data = received.Json.GetProperty("data");
        JsonElement.DeepEquals(data.GetProperty("payload"), JsonDocument.Parse(body).RootElement).Should().BeTrue();
        data.EnumerateObject().Last().Name.Should().Be("payload");
        data.GetProperty("source").GetString().Should().Be("shopify");
        data.GetProperty("webhook_id").GetString().Should().Be(accepted.Id.ToString());
        received.Json.GetProperty("id").GetString().Should().Be(received.MessageId);
    }

    /// <summary>An event that waits longer than its inbox row lives (retention removed it) is still published, payload null.</summary>
    [Fact]
    public async Task AReceivedEventWhoseInboxRowIsGone_IsPublishedWithAPayloadOfNull()
    {
        await using var events = await EventCollector.StartAsync();
        using var admin = app.CreateAdminClient();
        using var client = app.CreateClient();
        (await admin.PostAsync("/api/v1/admin/relay/pause", null)).EnsureSuccessStatusCode();
        Guid id;
        try
        {
            id = (await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue))))).AcceptedAsync()).Id;
            await app.Database.ExecuteAsync("DELETE FROM inbox_messages WHERE id = $1", id);
        }
        finally
        {
            (await admin.PostAsync("/api/v1/admin/relay/resume", null)).EnsureSuccessStatusCode();
        }

        var received = (await Eventually.GetAsync(() => events.ForInbox(id), e => e.Count >= Shopify.EventsPerOrder))
            .Single(e => e.Type == "evt.webhook.received");
        received.Json.GetProperty("data").GetProperty("payload").ValueKind.Should().Be(JsonValueKind.Null);
        received.Json.GetProperty("data").GetProperty("webhook_id").GetString().Should().Be(id.ToString());
    }
}
