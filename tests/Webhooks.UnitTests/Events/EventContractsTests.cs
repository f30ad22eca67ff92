using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using Webhooks.Application.Events;
using Webhooks.Application.Providers;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Application.Providers.PayPal;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Application.Providers.Slack;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Application.Providers.Twilio;
using Webhooks.Contracts;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Events;

/// <summary>The catalog, the schemas and the AsyncAPI document against the mapping code, both ways.</summary>
public sealed partial class EventContractsTests
{
    [Fact]
    public void EveryMappedEvent_IsInTheCatalog_AndEveryCatalogEntry_IsProducedBySomeMapping()
    {
        var produced = ProducedTypes().ToList();

        produced.Should().OnlyContain(type => EventCatalog.Find(type) != null, "every event a mapping produces is described");
        var unproduced = EventCatalog.All
            .Where(d => d.RoutingKey is not RoutingKeys.Received and not RoutingKeys.Processed and not RoutingKeys.Failed and not RoutingKeys.ValidationFailed
                and not RoutingKeys.GatewaySubscriptionDisabled and not RoutingKeys.GatewayAlertOpened and not RoutingKeys.GatewayAlertResolved and not RoutingKeys.GatewayRejected and not RoutingKeys.GatewayMappingFailed && d.RoutingKey != RoutingKeys.SourcePrefix + "{source}.{type}")
            .Where(d => !produced.Any(d.Covers))
            .Select(d => d.RoutingKey);
        unproduced.Should().BeEmpty("the document describes no event that nothing publishes");
    }

    [Fact]
    public void TheGatewaysOwnEvents_AreInTheGatewayNamespace() =>
        Webhooks.Application.Events.GatewayEvents.SubscriptionDisabled(Guid.CreateVersion7(), "https://example.test/hook", "the endpoint answered 410 Gone", DateTimeOffset.UnixEpoch)
            .EventType.Should().Be("evt.gateway.subscription.disabled")
            .And.Match(t => EventCatalog.Find(t)!.DataType == typeof(SubscriptionDisabled));

    [Fact]
    public void AsyncApiDocument_HasAChannelPerCatalogEntry_WithTheExchangeAndTheRecordsSchema()
    {
        var document = AsyncApiDocument.Build("1.0.0");

        document["asyncapi"]!.GetValue<string>().Should().Be("3.0.0");
        var channels = document["channels"]!.AsObject();
        channels.Select(c => c.Value!["address"]!.GetValue<string>()).Should().BeEquivalentTo(EventCatalog.All.Select(d => d.RoutingKey));
        foreach (var (id, channel) in channels)
        {
            Identifier().IsMatch(id).Should().BeTrue($"'{id}' must be a valid AsyncAPI key");
            var definition = EventCatalog.All.Single(d => d.RoutingKey == channel!["address"]!.GetValue<string>());
            channel!["bindings"]!["amqp"]!["exchange"]!["name"]!.GetValue<string>().Should().Be("webhooks.events");
            var message = Resolve(document, channel["messages"]!.AsObject().Single().Value!["$ref"]!.GetValue<string>());
            var data = Resolve(document, message["payload"]!["properties"]!["data"]!["$ref"]!.GetValue<string>());
            JsonNode.DeepEquals(data, EventSchemas.For(definition.DataType)).Should().BeTrue($"{definition.RoutingKey}'s payload is its record's schema");
            message["bindings"]!["amqp"]!["messageType"]!.GetValue<string>().Should().Be(definition.RoutingKey);
            document["operations"]![$"receive_{id}"]!["channel"]!["$ref"]!.GetValue<string>().Should().Be($"#/channels/{id}");
            if (definition.IsFamily)
            {
                channel["parameters"]!.AsObject().Should().NotBeEmpty();
            }
        }

        var properties = document["components"]!["messageTraits"]!["amqpProperties"]!["headers"]!["properties"]!.AsObject();
        properties.Select(p => p.Key).Should().Contain(["message_id", "correlation_id", "type", "content_type", "delivery_mode"]);
    }

    [Theory]
    [InlineData("evt.webhook.order.created", typeof(OrderCreated))]
    [InlineData("evt.webhook.pull_request.opened", typeof(PullRequestChanged))]
    [InlineData("evt.webhook.pull_request.{action}", typeof(PullRequestChanged))]
    [InlineData("evt.webhook.slack.slash_command", typeof(SlackSlashCommand))]
    [InlineData("evt.webhook.slack.app_mention", typeof(SlackActivity))]
    [InlineData("evt.source.dairy.milk.collected", typeof(SourceEvent))]
    [InlineData("evt.gateway.subscription.disabled", typeof(SubscriptionDisabled))]
    public void Find_ResolvesTypesAndFamilies(string type, Type record) => EventSchemas.Find(type)!.DataType.Should().Be(record);

    [Theory]
    [InlineData("evt.webhook.nothing")]
    [InlineData("evt.webhook.pull_request.a.b")]
    [InlineData("evt.source.dairy")]
    [InlineData("evt.webhook.order.created.extra")]
    public void Find_UnknownTypes_AreNull(string type) => EventSchemas.Find(type).Should().BeNull();

    [Theory]
    [InlineData(1999L, "usd", "19.99")]
    [InlineData(500L, "JPY", "500")]
    [InlineData(1000L, "kwd", "1.000")]
    public void Money_ConvertsMinorUnits(long amount, string currency, string expected) => ContractEvents.Money(amount, currency).Should().Be(expected);

    /// <summary>Every provider's mappings run over minimal deliveries: the event types the mapping code produces.</summary>
    private static IEnumerable<string> ProducedTypes()
    {
        foreach (var topic in ShopifyEventMapper.MappedTopics)
        {
            yield return ShopifyEventMapper.Map(topic, new JsonObject { ["id"] = 1 }, "acme.myshopify.com", DateTimeOffset.UnixEpoch)!.Type;
        }

        foreach (var type in StripeProvider.MappedTypes)
        {
            yield return Single(new StripeProvider(), ProviderKind.Stripe, "{\"id\":\"evt_1\",\"type\":\"" + type + "\",\"data\":{\"object\":{\"id\":\"x\"}}}");
        }

        foreach (var type in new[] { "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.REFUNDED", "BILLING.SUBSCRIPTION.CREATED", "BILLING.SUBSCRIPTION.CANCELLED" })
        {
            yield return Single(new PayPalProvider(), ProviderKind.PayPal, "{\"id\":\"WH-1\",\"event_type\":\"" + type + "\",\"resource\":{\"id\":\"r\"}}");
        }

        foreach (var (name, payload) in new[]
        {
            ("push", "{}"), ("pull_request", """{"action":"opened","number":1}"""),
            ("issues", """{"action":"opened","issue":{}}"""), ("issues", """{"action":"closed","issue":{}}"""),
        })
        {
            yield return Single(new GitHubProvider(), ProviderKind.GitHub, payload, new() { ["X-GitHub-Event"] = name });
        }

        yield return Single(new TwilioProvider(), ProviderKind.Twilio, """{"MessageSid":"SM1","MessageStatus":"sent"}""");
        yield return Single(new TwilioProvider(), ProviderKind.Twilio, """{"CallSid":"CA1","CallStatus":"completed"}""");
        yield return Single(new SlackProvider(), ProviderKind.Slack, """{"type":"event_callback","event":{"type":"message"}}""");
        var slash = TestRequests.With(Encoding.UTF8.GetBytes("command=%2Fdeploy"), new Dictionary<string, string>()) with { ContentType = "application/x-www-form-urlencoded" };
        yield return new SlackProvider().Interpret(slash, TestRequests.Source(ProviderKind.Slack, "s")).Events.Single().Type;
    }

    private static string Single(IWebhookProvider provider, ProviderKind kind, string body, Dictionary<string, string>? headers = null) =>
        provider.Interpret(TestRequests.With(Encoding.UTF8.GetBytes(body), headers ?? []), TestRequests.Source(kind, "s")).Events.Single().Type;

    private static JsonNode Resolve(JsonObject document, string pointer) =>
        pointer.TrimStart('#', '/').Split('/').Aggregate((JsonNode)document, (node, segment) => node[segment] ?? throw new KeyNotFoundException(pointer));

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Identifier();
}

public sealed class EventTypeNameTests
{
    /// <summary>A trailing newline once passed the check ($ matches before it) and became part of a routing key.</summary>
    [Theory]
    [InlineData("milk.collected\n")]
    [InlineData("milk\n.collected")]
    [InlineData("")]
    public void Checked_RefusesNamesThatAreNotPlainEventTypes(string type) =>
        FluentAssertions.FluentActions.Invoking(() => Webhooks.Application.Providers.EventTypes.FromSource("dairy", type))
            .Should().Throw<Webhooks.Application.Common.Exceptions.MalformedWebhookException>();

    [Fact]
    public void Checked_AcceptsAPlainEventType() =>
        FluentAssertions.AssertionExtensions.Should(Webhooks.Application.Providers.EventTypes.FromSource("dairy", "milk.collected")).Be("evt.source.dairy.milk.collected");
}

public sealed class MetricLabelTests
{
    /// <summary>Generic senders choose their types: as labels they would make series without end.</summary>
    [Theory]
    [InlineData("evt.webhook.order.created", "evt.webhook.order.created")]
    [InlineData("evt.webhook.pull_request.opened", "evt.webhook.pull_request.{action}")]
    [InlineData("evt.source.dairy.milk.collected", "evt.source.dairy.*")]
    [InlineData("evt.source.dairy.anything-the-sender-likes-1234", "evt.source.dairy.*")]
    [InlineData("something.else", "other")]
    public void PublishedTypeLabels_ComeFromABoundedSet(string type, string label) =>
        FluentAssertions.AssertionExtensions.Should(Webhooks.Infrastructure.RelayObservation.TypeLabel(type)).Be(label);
}
