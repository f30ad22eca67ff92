using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Application.Providers.Twilio;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Tests.Golden;

namespace Webhooks.IntegrationTests;

/// <summary>
/// A source per seed fixture, so every fixture's delivery id is new to its source. The fixtures with lifecycle
/// expectations use the source named after the provider (seed 000's <c>source</c> field is that name).
/// </summary>
public sealed class SeedSourcesApp : WebhooksApp
{
    public const string Secret = "seed-golden-secret";
    public const string TwilioPublicUrl = "https://hooks.example.com";

    internal static readonly Lazy<Dictionary<string, SeedFixture>> Fixtures = new(SeedFixture.LoadAll);

    internal static string SourceOf(SeedFixture fixture) => fixture.Lifecycle is null
        ? $"{fixture.Provider}-{Fixtures.Value.Keys.Order(StringComparer.Ordinal).ToList().IndexOf(fixture.Mapping)}"
        : fixture.Provider;

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>();
            foreach (var fixture in Fixtures.Value.Values)
            {
                var source = SourceOf(fixture);
                settings[$"Webhooks:Sources:{source}:Provider"] = fixture.Provider;
                settings[$"Webhooks:Sources:{source}:Secrets:0"] = Secret;
                if (fixture.Provider == "shopify")
                {
                    settings[$"Webhooks:Sources:{source}:Secrets:1"] = Secret;
                }

                if (fixture.Provider == "twilio")
                {
                    settings[$"Webhooks:Sources:{source}:PublicUrl"] = TwilioPublicUrl;
                }
            }

            return settings;
        }
    }
}

/// <summary>
/// Seed payloads on the wire (contract v3, "Consumers of the seeds' systems switch over unchanged"): each fixture of
/// seeds 000 and 002, signed as its provider signs, goes through the running gateway on PostgreSQL and is read back from
/// RabbitMQ, where every field the seed's mapper wrote must be in the event's <c>data</c> with its name, JSON type and
/// value — the same fixtures as the unit golden tests, so a field the mapper keeps but the envelope, the store or the
/// relay loses fails here, naming the seed, the mapping and the field.
/// </summary>
public sealed class SeedPayloadBrokerTests(SeedSourcesApp app) : IClassFixture<SeedSourcesApp>, IAsyncLifetime
{
    private EventCollector events = null!;

    public async Task InitializeAsync() => events = await EventCollector.StartAsync();

    public async Task DisposeAsync() => await events.DisposeAsync();

    public static TheoryData<string> Mappings()
    {
        var mappings = new TheoryData<string>();
        foreach (var mapping in SeedSourcesApp.Fixtures.Value.Keys.Order(StringComparer.Ordinal))
        {
            mappings.Add(mapping);
        }

        return mappings;
    }

    [Theory]
    [MemberData(nameof(Mappings))]
    public async Task SeedMapping_ReachesRabbitMq_WithEverySeedField(string mapping)
    {
        var fixture = SeedSourcesApp.Fixtures.Value[mapping];
        var source = SeedSourcesApp.SourceOf(fixture);
        var body = fixture.RawBody();

        using var client = app.CreateClient();
        using var response = await client.SendAsync(SignedRequest(fixture, source, body));
        var accepted = await response.AcceptedAsync();

        var expectedTypes = new[] { fixture.Event }.Concat(fixture.Lifecycle?.Keys ?? Enumerable.Empty<string>()).ToList();
        var received = await Eventually.GetAsync(
            () => events.ForInbox(accepted.Id),
            e => expectedTypes.All(type => e.Any(x => x.RoutingKey == type)),
            because: $"{mapping} publishes {string.Join(", ", expectedTypes)} to RabbitMQ");

        AssertSeedFields(fixture.Expected, received.First(e => e.RoutingKey == fixture.Event), mapping, accepted.Id);
        foreach (var (type, expected) in fixture.Lifecycle ?? [])
        {
            AssertSeedFields(expected!, received.First(e => e.RoutingKey == type), $"{mapping}, {type}", accepted.Id);
        }
    }

    private static void AssertSeedFields(JsonNode expected, ReceivedEvent published, string mapping, Guid inboxId)
    {
        var data = JsonNode.Parse(published.Body)!["data"];
        foreach (var (field, _) in SeedFixture.Leaves(expected))
        {
            SeedFixture.AssertField(SeedFixture.Find(expected, field), SeedFixture.Find(data, field), field, mapping, inboxId.ToString());
        }
    }

    private static HttpRequestMessage SignedRequest(SeedFixture fixture, string source, byte[] body)
    {
        var path = $"/api/v1/webhooks/{source}";
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(fixture.ContentType);
        foreach (var (name, value) in fixture.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var (header, signature) = fixture.Provider switch
        {
            "shopify" => ("X-Shopify-Hmac-Sha256", ShopifySignature.Sign(body, SeedSourcesApp.Secret)),
            "stripe" => ("Stripe-Signature", StripeSignature.Sign(body, SeedSourcesApp.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds())),
            "github" => ("X-Hub-Signature-256", GitHubSignature.Sign(body, SeedSourcesApp.Secret)),
            "twilio" => ("X-Twilio-Signature", TwilioSignature.Sign(SeedSourcesApp.TwilioPublicUrl + path, fixture.Form!, SeedSourcesApp.Secret)),
            _ => throw new InvalidOperationException($"{fixture.Mapping}: no signer for {fixture.Provider}"),
        };
        request.Headers.TryAddWithoutValidation(header, signature);
        return request;
    }
}
