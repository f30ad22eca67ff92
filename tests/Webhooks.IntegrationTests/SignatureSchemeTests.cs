using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// Each outbound signature scheme through a secret rotation, checked by receivers written from the receiving side's
/// own verification steps: they know their current and previous secret and compare what they compute with the header.
/// </summary>
public sealed class SignatureSchemeTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private WebhookReceiver Receiver => app.Receiver!;

    [Theory]
    [InlineData("legacy")]
    [InlineData("body-hmac")]
    public async Task SingleSignatureScheme_SignsWithThePreviousSecretDuringTheOverlap_ThenWithTheNewOne(string scheme)
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-" + scheme);
        var type = DeliveryClient.Unique("seed") + ".signed";
        var initial = scheme == "body-hmac" ? "a shared secret of any form" : null;
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type], new { signature_scheme = scheme, secret = initial });
        var id = subscription.GetProperty("id").GetString()!;
        var first = subscription.GetProperty("secret").GetString()!;
        if (initial is not null)
        {
            first.Should().Be(initial);
        }

        var before = await DeliverAsync(endpoint, type, 1);
        Accepts(scheme, before, current: first, previous: null).Should().BeTrue();

        var second = await RotateAsync(admin, id);
        var during = await DeliverAsync(endpoint, type, 2);
        Accepts(scheme, during, current: second, previous: first).Should().BeTrue("a receiver that keeps its previous secret accepts during the overlap");
        Accepts(scheme, during, current: first, previous: null).Should().BeTrue("the previous secret signs until the overlap ends");
        Accepts(scheme, during, current: second, previous: null).Should().BeFalse();

        await EndOverlapAsync(id);
        var after = await DeliverAsync(endpoint, type, 3);
        Accepts(scheme, after, current: second, previous: null).Should().BeTrue("the new secret signs once the overlap is over");
        Accepts(scheme, after, current: first, previous: null).Should().BeFalse();
    }

    [Fact]
    public async Task StandardScheme_SendsEveryCurrentSignature_DuringTheOverlap_ThenOnlyTheNewOne()
    {
        using var admin = app.CreateAdminClient();
        var endpoint = DeliveryClient.Unique("ok-std");
        var type = DeliveryClient.Unique("seed") + ".signed";
        var subscription = await admin.SubscribeAsync(Receiver.Url(endpoint), [type]);
        var id = subscription.GetProperty("id").GetString()!;
        var first = subscription.GetProperty("secret").GetString()!;

        var second = await RotateAsync(admin, id);
        var during = await DeliverAsync(endpoint, type, 1);
        during.Header("webhook-signature")!.Split(' ').Should().HaveCount(2);
        during.VerifiesWith(first).Should().BeTrue();
        during.VerifiesWith(second).Should().BeTrue();

        await EndOverlapAsync(id);
        var after = await DeliverAsync(endpoint, type, 2);
        after.Header("webhook-signature")!.Split(' ').Should().ContainSingle();
        after.VerifiesWith(second).Should().BeTrue();
        after.VerifiesWith(first).Should().BeFalse();
    }

    [Fact]
    public async Task BodyHmac_RefusesSecretsShorterThanSixteenCharacters()
    {
        using var admin = app.CreateAdminClient();

        var problem = await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url("x"), events = new[] { "a.b" }, signature_scheme = "body-hmac", secret = "too-short" }))
            .ProblemAsync(400);

        problem.GetProperty("detail").GetString().Should().Contain("16");
        await (await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = Receiver.Url("x"), events = new[] { "a.b" }, signature_scheme = "hmac" })).ProblemAsync(400);
    }

    /// <summary>
    /// The receiving side's check. Legacy (seed 003): X-Webhook-Signature must equal "sha256=" + base64 HMAC-SHA256 of
    /// "{X-Webhook-Timestamp}.{body}". Body HMAC (seed 004): it must equal "sha256=" + hex HMAC-SHA256 of the raw body.
    /// Either with the current secret or, during a rotation, the previous one; the whole header is compared.
    /// </summary>
    private static bool Accepts(string scheme, ReceivedRequest request, string current, string? previous)
    {
        var header = Encoding.UTF8.GetBytes(request.Header("x-webhook-signature") ?? "");
        return new[] { current, previous }.OfType<string>().Any(secret =>
        {
            var key = Encoding.UTF8.GetBytes(secret);
            var expected = scheme == "legacy"
                ? "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{request.Header("x-webhook-timestamp")}.").Concat(request.Body).ToArray()))
                : "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, request.Body));
            return CryptographicOperations.FixedTimeEquals(header, Encoding.UTF8.GetBytes(expected));
        }) && HasSchemeHeaders(scheme, request);
    }

    private static bool HasSchemeHeaders(string scheme, ReceivedRequest request) => scheme == "legacy"
        ? request.Header("x-webhook-id") == request.Json.GetProperty("id").GetString() && request.Header("x-event-type") is not null
        : request.Header("x-webhook-id") == request.Json.GetProperty("id").GetString() && request.Header("x-webhook-event") == request.Json.GetProperty("event").GetString();

    private async Task<ReceivedRequest> DeliverAsync(string endpoint, string type, int n)
    {
        await app.CreateClient().PublishAsync(type, new { n });
        var received = await Eventually.GetAsync(() => Receiver.At(endpoint), r => r.Any(q => q.Json.GetProperty("data").GetProperty("n").GetInt32() == n));
        return received.Single(q => q.Json.GetProperty("data").GetProperty("n").GetInt32() == n);
    }

    private static async Task<string> RotateAsync(HttpClient admin, string id)
    {
        var rotated = await (await admin.PostAsJsonAsync($"/api/v1/subscriptions/{id}/secret/rotate", new { expire_previous_after_seconds = 3600 })).Content.ReadFromJsonAsync<JsonElement>();
        return rotated.GetProperty("secret").GetString()!;
    }

    /// <summary>The overlap ends: the previous secret's expiry, an hour away, is brought to the past.</summary>
    private Task EndOverlapAsync(string id) =>
        app.Database.ExecuteAsync("UPDATE subscription_secrets SET expires_at = now() - interval '1 second' WHERE subscription_id = $1 AND expires_at IS NOT NULL", Guid.Parse(id));
}
