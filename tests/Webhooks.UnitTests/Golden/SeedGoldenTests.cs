using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Sources;

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
    private static readonly Lazy<Dictionary<string, Fixture>> Fixtures = new(Load);

    public static TheoryData<string, string> SeedFields()
    {
        var cases = new TheoryData<string, string>();
        foreach (var fixture in Fixtures.Value.Values.OrderBy(f => f.Mapping, StringComparer.Ordinal))
        {
            foreach (var (path, _) in Leaves(fixture.Expected, ""))
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
                foreach (var (path, _) in Leaves(expected!, ""))
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

        AssertField(Find(fixture.Expected, field), Find(mapped.Data, field), field, mapping, inboxId: null);
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

        AssertField(Find(fixture.Lifecycle![eventType], field), Find(data, field), field, $"{mapping}, {eventType}", message.Id.ToString());
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

    private static void AssertField(JsonNode? expected, JsonNode? actual, string field, string mapping, string? inboxId)
    {
        var because = $"{mapping} publishes {field} as the seed did";
        if (expected is JsonValue marker && marker.TryGetValue<string>(out var text) && text is "<time>" or "<inbox id>")
        {
            actual.Should().NotBeNull(because);
            actual!.GetValueKind().Should().Be(JsonValueKind.String, because);
            if (text == "<time>")
            {
                DateTimeOffset.TryParse(actual.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _).Should().BeTrue(because + " (a date-time)");
            }
            else
            {
                actual.GetValue<string>().Should().Be(inboxId, because);
            }

            return;
        }

        if (expected is null)
        {
            (actual is null).Should().BeTrue($"{because}: null (the field is present, and null)");
            return;
        }

        actual.Should().NotBeNull(because);
        actual!.GetValueKind().Should().Be(expected.GetValueKind() is JsonValueKind.True or JsonValueKind.False && actual.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? actual.GetValueKind()
            : expected.GetValueKind(), because);
        if (expected.GetValueKind() == JsonValueKind.Number)
        {
            actual.GetValue<decimal>().Should().Be(expected.GetValue<decimal>(), because);
        }
        else
        {
            JsonNode.DeepEquals(actual, expected).Should().BeTrue($"{because}: expected {expected.ToJsonString()}, published {actual.ToJsonString()}");
        }
    }

    /// <summary>The node at a path such as <c>items[1].item_id</c>; a missing member fails (absent is not null).</summary>
    private static JsonNode? Find(JsonNode? root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture);
            }

            var container = node as JsonObject;
            container.Should().NotBeNull($"{path}: {name} sits in an object");
            container!.ContainsKey(name).Should().BeTrue($"the field {path} is published (missing: {name})");
            node = container[name];
            if (index is { } i)
            {
                var array = node as JsonArray;
                array.Should().NotBeNull($"{path}: {name} is an array");
                array!.Count.Should().BeGreaterThan(i, $"{path}: {name} has an element {i}");
                node = array[i];
            }
        }

        return node;
    }

    /// <summary>Every scalar (and empty container) under a node, with its path.</summary>
    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path) => node switch
    {
        JsonObject obj when obj.Count > 0 => obj.SelectMany(p => Leaves(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray array when array.Count > 0 && array.All(e => e is JsonObject) => array.SelectMany((e, i) => Leaves(e, $"{path}[{i}]")),
        _ => [(path, node)],
    };

    private static WebhookInterpretation Map(Fixture fixture)
    {
        ProviderNames.TryParse(fixture.Provider, out var kind).Should().BeTrue(fixture.Provider);
        return Providers.Single(p => p.Kind == kind).Interpret(Request(fixture), TestRequests.Source(kind, "golden-secret"));
    }

    private static WebhookRequest Request(Fixture fixture)
    {
        var (body, contentType) = fixture.Form is { } form
            ? (Encoding.UTF8.GetBytes(string.Join('&', form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"))), "application/x-www-form-urlencoded")
            : (Encoding.UTF8.GetBytes(fixture.Body!.ToJsonString()), "application/json");
        return TestRequests.With(body, fixture.Headers, fixture.Provider) with
        {
            ContentType = contentType,
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

    private static readonly JsonSerializerOptions FixtureJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Dictionary<string, Fixture> Load() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden", "Fixtures"), "*.json")
            .Select(path => JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), FixtureJson)!)
            .ToDictionary(f => f.Mapping, StringComparer.Ordinal);

    private sealed record Fixture(
        string Mapping, string Seed, string Provider, Dictionary<string, string> Headers, JsonNode? Body, Dictionary<string, string>? Form,
        string Event, JsonNode Expected, Dictionary<string, JsonNode?>? Lifecycle);
}
