using System.Net;
using FluentAssertions;
using Webhooks.Application.Backfill;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// Stripe stops retrying after 3 days: the backfill lists the account's events of the configured types since the last
/// complete run and stores each one the inbox lacks as if it had been received (contract v3, "Providers that never
/// retry"), against the Stripe stub on loopback.
/// </summary>
public sealed class StripeBackfillTests(BackfillApp app) : IClassFixture<BackfillApp>
{
    [Fact]
    public async Task EventsNeverDelivered_AreImportedAsReceived_MarkedBackfilled_DuplicatesSkipped_TypesFiltered_PagesFollowed()
    {
        var stripe = app.Stripe;
        stripe.PageLimit = 4;
        await using var events = await EventCollector.StartAsync();
        using var gateway = app.CreateClient();

        // Delivered while the gateway was up: stored the ordinary way.
        var delivered = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = stripe.Add("payment_intent.succeeded", StripeApiStub.PaymentIntent($"pi_up{i}", 1000 + i), DateTimeOffset.UtcNow.AddHours(-2));
            using var response = await stripe.DeliverAsync(gateway, "/api/v1/webhooks/stripe", BackfillApp.StripeSecret, id);
            (await response.AcceptedAsync()).Duplicate.Should().BeFalse();
            delivered.Add(id);
        }

        // Created while the gateway was down (never delivered): 7 payments and 2 customers, and 2 events of a type not configured.
        var missed = Enumerable.Range(0, 7).Select(i => stripe.Add("payment_intent.succeeded", StripeApiStub.PaymentIntent($"pi_down{i}", 2000 + i), DateTimeOffset.UtcNow.AddHours(-1)))
            .Concat(Enumerable.Range(0, 2).Select(i => stripe.Add("customer.created", StripeApiStub.Customer($"cus_down{i}"), DateTimeOffset.UtcNow.AddMinutes(-30))))
            .ToList();
        var otherType = Enumerable.Range(0, 2).Select(i => stripe.Add("charge.dispute.created", new System.Text.Json.Nodes.JsonObject { ["id"] = $"dp_{i}", ["object"] = "dispute" })).ToList();
        // Older than the first run's lookback (3 days): Stripe still has it, but it is out of the window.
        var tooOld = stripe.Add("payment_intent.succeeded", StripeApiStub.PaymentIntent("pi_old", 1), DateTimeOffset.UtcNow.AddDays(-4));

        var run = await Backfills.RunAsync(app, "stripe");

        run.Outcome.Should().Be(BackfillOutcomes.Succeeded, run.Error);
        run.Found.Should().Be(9);
        run.Recovered.Should().Be(9);
        run.Skipped.Should().Be(3, "the events delivered before are in the inbox already");
        (await Backfills.StoredKeysAsync(app, "stripe", missed)).Should().BeEquivalentTo(missed);
        (await Backfills.StoredKeysAsync(app, "stripe", otherType.Append(tooOld))).Should().BeEmpty();
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE source = 'stripe'")).Should().Be(12);

        var requests = stripe.Requests.ToList();
        requests.Should().HaveCount(3, "12 events at 4 a page: three pages");
        requests.Should().OnlyContain(r => r.Authorization == "Bearer " + stripe.ApiKey && r.UserAgent!.StartsWith("Webhooks/", StringComparison.Ordinal)
            && r.Query.Contains("limit=100", StringComparison.Ordinal) && r.Query.Contains("created%5Bgte%5D=", StringComparison.Ordinal)
            && r.Query.Contains("types%5B%5D=payment_intent.succeeded", StringComparison.Ordinal) && r.Query.Contains("types%5B%5D=customer.created", StringComparison.Ordinal));
        requests.Skip(1).Should().OnlyContain(r => r.Query.Contains("starting_after=evt_", StringComparison.Ordinal));

        // Every event published for an imported one says so; those of the delivered ones do not.
        var imported = (await app.Database.ScalarAsync<Guid[]>("SELECT array_agg(id) FROM inbox_messages WHERE source = 'stripe' AND idempotency_key = ANY($1)", (object)missed.ToArray()))
            .Select(id => id.ToString()).ToHashSet();
        var arrived = await Eventually.GetAsync(
            () => events.Received.Where(e => e.InboxId is { } inbox && imported.Contains(inbox)).ToList(),
            list => list.Count == 9 * 3, TimeSpan.FromSeconds(30), "received, the mapped event and processed, for each of the 9");
        arrived.Should().OnlyContain(e => e.Json.GetProperty("backfilled").GetBoolean());
        arrived.Select(e => e.RoutingKey).Distinct().Should().BeEquivalentTo("evt.webhook.received", "evt.webhook.payment.succeeded", "evt.webhook.customer.created", "evt.webhook.processed");
        var payment = arrived.First(e => e.RoutingKey == "evt.webhook.payment.succeeded").Json;
        payment.GetProperty("provider").GetString().Should().Be("stripe");
        payment.GetProperty("data").GetProperty("merchant_id").GetString().Should().Be("acme");
        events.Received.Where(e => e.RoutingKey == "evt.webhook.payment.succeeded" && !imported.Contains(e.InboxId!))
            .Count(e => e.Json.TryGetProperty("backfilled", out _)).Should().Be(0);

        // The next run looks back to this one's start less the hour of overlap: the two customers are listed again,
        // found stored, and nothing more is published.
        var published = events.Received.Count;
        var again = await Backfills.RunAsync(app, "stripe");
        again.Found.Should().Be(0);
        again.Skipped.Should().Be(2);
        var gte = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(stripe.Requests.Last().Query)["created[gte]"].ToString();
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(gte, System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromSeconds(30), "since the last complete run less an hour");
        await Task.Delay(1000);
        events.Received.Should().HaveCount(published);

        // An event Stripe delivers late (its own retry) after it was imported is a duplicate: no second set of events.
        using var late = await stripe.DeliverAsync(gateway, "/api/v1/webhooks/stripe", BackfillApp.StripeSecret, missed[0]);
        late.StatusCode.Should().Be(HttpStatusCode.OK);
        (await late.AcceptedAsync()).Duplicate.Should().BeTrue();
    }
}
