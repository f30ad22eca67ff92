using System.Text;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>De-duplication keys no sender can stretch or sidestep.</summary>
public sealed class DeduplicationTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task Receive_ACapturedBodyReplayedWithAFreshDeliveryId_IsADuplicateOfTheFirst()
    {
        using var client = app.CreateClient();
        var body = Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue));
        var first = await (await client.SendAsync(Shopify.Delivery(body, eventId: Guid.NewGuid().ToString()))).AcceptedAsync();

        var replay = await (await client.SendAsync(Shopify.Delivery(body, eventId: Guid.NewGuid().ToString()))).AcceptedAsync();

        replay.Duplicate.Should().BeTrue("the signature covers the body, not the delivery id header");
        replay.Id.Should().Be(first.Id);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1", first.Id)).Should().Be(2, "no new events");
    }

    [Fact]
    public async Task Receive_ATenKilobyteEventId_IsStoredUnderItsHash_AndStillDeduplicates()
    {
        using var client = app.CreateClient();
        var key = new string('k', 10_000) + Guid.NewGuid();

        var first = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), eventId: key))).AcceptedAsync();
        var second = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), eventId: key))).AcceptedAsync();

        first.Duplicate.Should().BeFalse();
        second.Duplicate.Should().BeTrue();
        second.Id.Should().Be(first.Id);
        var stored = await app.Database.ScalarAsync<string>("SELECT idempotency_key FROM inbox_messages WHERE id = $1", first.Id);
        stored.Should().StartWith("sha256:").And.HaveLength("sha256:".Length + 64);
        Encoding.UTF8.GetByteCount(stored).Should().BeLessThan(2_700, "an index entry cannot exceed PostgreSQL's row limit");
    }
}
