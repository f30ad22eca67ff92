using System.Text.Json.Nodes;
using FluentAssertions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Sources;
using Webhooks.Tests.Golden;

namespace Webhooks.UnitTests.Golden;

/// <summary>
/// What the consumers of the systems this gateway replaces read, pinned field by field (contract v3, "Consumers of the
/// seeds' systems switch over unchanged"). Each fixture in Golden/Fixtures is a body in the shape the provider documents
/// and the <c>data</c> the seed's own mapper made of it (seed 000: the Python service's handlers; seed 002: the guide's
/// handlers), with contract v3's corrections where the seed read the wrong place. Every field of it is one test case,
/// named after the seed, the mapping and the field: removing, renaming or retyping a seed field fails the case that
/// names it. <c>&lt;time&gt;</c> stands for a date-time string (the seeds wrote their processing time).
/// </summary>
public sealed class SeedGoldenTests
{
    private static readonly Lazy<Dictionary<string, SeedFixture>> Fixtures = new(SeedFixture.LoadAll);

    public static TheoryData<string, string> SeedFields()
    {
        var cases = new TheoryData<string, string>();
        foreach (var fixture in Fixtures.Value.Values.OrderBy(f => f.Mapping, StringComparer.Ordinal))
        {
            foreach (var (path, _) in SeedFixture.Leaves(fixture.Expected))
            {
                cases.Add(fixture.Mapping, path);
            }
        }

        return cases;
    }

    public static TheoryData<string, string, string> LifecycleFields()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var fixture in Fixtures.Value.Values.Where(f => f.Lifecycle is not null).OrderBy(f => f.Mapping, StringComparer.Ordinal))
        {
            foreach (var (type, expected) in fixture.Lifecycle!)
            {
                foreach (var (path, _) in SeedFixture.Leaves(expected!))
                {
                    cases.Add(fixture.Mapping, type, path);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(SeedFields))]
    public void SeedField_IsPublished_WithTheSeedsNameJsonTypeAndValue(string mapping, string field)
    {
        var fixture = Fixtures.Value[mapping];
        var mapped = Map(fixture).Events.Should().ContainSingle(e => e.Type == fixture.Event, $"{mapping} maps to {fixture.Event}").Subject;

        SeedFixture.AssertField(SeedFixture.Find(fixture.Expected, field), SeedFixture.Find(mapped.Data, field), field, mapping, inboxId: null);
    }

    [Theory]
    [MemberData(nameof(LifecycleFields))]
    public void SeedLifecycleField_IsPublished_WithTheSeedsNameJsonTypeAndValue(string mapping, string eventType, string field)
    {
        var fixture = Fixtures.Value[mapping];
        var request = Request(fixture);
        var interpretation = Map(fixture);
        var message = InboxMessage.Receive(fixture.Provider, fixture.Provider, interpretation.Topic, interpretation.IdempotencyKey, request.ContentType,
            request.Headers, request.Body, "corr-golden", "203.0.113.7", request.ReceivedAt);

        var published = OutboxEvents.For(message, interpretation, null, request.ReceivedAt).Single(o => o.EventType == eventType);
        var data = JsonNode.Parse(published.Envelope)!["data"];

        SeedFixture.AssertField(SeedFixture.Find(fixture.Lifecycle![eventType], field), SeedFixture.Find(data, field), field, $"{mapping}, {eventType}", message.Id.ToString());
    }

    /// <summary>The seeds' types keep seed 002's routing keys (contract v3): this is what consumers bind.</summary>
    [Fact]
    public void EverySeedMapping_IsPublishedUnderTheSeedsRoutingKey()
    {
        foreach (var fixture in Fixtures.Value.Values)
        {
            Map(fixture).Events.Select(e => e.Type).Should().Contain(fixture.Event, fixture.Mapping);
        }

        Fixtures.Value.Should().HaveCountGreaterThanOrEqualTo(32, "every mapping of seeds 000 and 002 has its fixture");
    }

    private static WebhookInterpretation Map(SeedFixture fixture)
    {
        ProviderNames.TryParse(fixture.Provider, out var kind).Should().BeTrue(fixture.Provider);
        return Providers.Single(p => p.Kind == kind).Interpret(Request(fixture), TestRequests.Source(kind, "golden-secret"));
    }

    private static WebhookRequest Request(SeedFixture fixture)
    {
        return TestRequests.With(fixture.RawBody(), fixture.Headers, fixture.Provider) with
        {
            ContentType = fixture.ContentType,
            ReceivedAt = new DateTimeOffset(2026, 11, 28, 14, 2, 12, TimeSpan.Zero),
        };
    }

    private static readonly IWebhookProvider[] Providers =
    [
        new Webhooks.Application.Providers.Shopify.ShopifyProvider(),
        new Webhooks.Application.Providers.Stripe.StripeProvider(),
        new Webhooks.Application.Providers.GitHub.GitHubProvider(),
        new Webhooks.Application.Providers.Twilio.TwilioProvider(),
    ];
}
