using System.Text;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
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
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE inbox_id = $1", first.Id)).Should().Be(3, "no new events");
    }

    /// <summary>Contract v3: the same bytes under another topic are another delivery (orders/paid after orders/create).</summary>
    [Fact]
    public async Task Receive_TheSameBodyUnderAnotherTopic_IsNotADuplicate()
    {
        using var client = app.CreateClient();
        var body = Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)); // financial_status paid: it fits both topics

        var created = await (await client.SendAsync(Shopify.Delivery(body, topic: "orders/create"))).AcceptedAsync();
        var paid = await (await client.SendAsync(Shopify.Delivery(body, topic: "orders/paid"))).AcceptedAsync();
        var again = await (await client.SendAsync(Shopify.Delivery(body, topic: "orders/paid"))).AcceptedAsync();

        paid.Duplicate.Should().BeFalse();
        paid.Id.Should().NotBe(created.Id);
        again.Duplicate.Should().BeTrue();
        again.Id.Should().Be(paid.Id);
    }

    /// <summary>Contract v3: the hashes outlive the bodies, so a body removed by retention cannot be replayed into new events.</summary>
    [Fact]
    public async Task Receive_ABodyWhoseRowRetentionRemoved_IsStillADuplicate()
    {
        using var client = app.CreateClient();
        var body = Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue));
        var first = await (await client.SendAsync(Shopify.Delivery(body))).AcceptedAsync();
        await app.Database.ExecuteAsync("UPDATE inbox_messages SET received_at = received_at - interval '40 days' WHERE id = $1", first.Id);
        await ActivatorUtilities.CreateInstance<Webhooks.Infrastructure.Jobs.RetentionJob>(app.Services).RunAsync(CancellationToken.None);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE id = $1", first.Id)).Should().Be(0, "retention removed the row");

        var replay = await (await client.SendAsync(Shopify.Delivery(body))).AcceptedAsync();

        replay.Duplicate.Should().BeTrue();
        replay.Id.Should().Be(first.Id);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE source = 'shopify' AND body = $1", Encoding.UTF8.GetBytes(body))).Should().Be(0);
    }

    /// <summary>
    /// The topic header is not signed: a signed order body re-posted as customers/redact once made the gateway erase that
    /// customer's stored data and announce a compliance event. A body must fit its topic (contract v3).
    /// </summary>
    [Fact]
    public async Task Receive_AnOrderBodyUnderTheCustomersRedactTopic_Is400_AndNothingIsStored()
    {
        using var client = app.CreateClient();
        var body = Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue));
        var before = await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages");

        var answer = await (await client.SendAsync(Shopify.Delivery(body, topic: "customers/redact"))).ProblemAsync(400);

        answer.GetProperty("detail").GetString().Should().Contain("customers/redact");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages")).Should().Be(before);
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
