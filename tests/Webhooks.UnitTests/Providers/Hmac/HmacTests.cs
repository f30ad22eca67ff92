using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.Hmac;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.Hmac;

public sealed class HmacTests
{
    private const string Secret = "generic-secret";
    private const long T = 1_700_000_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(T + 1);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"order.paid\",\"data\":{\"id\":\"o1\"}}");

    // Seed sender A: X-Webhook-Signature: sha256=base64(hmac(ts + "." + body)), X-Webhook-Timestamp, X-Webhook-ID, X-Event-Type.
    // printf '%s' '1700000000.{"type":"order.paid","data":{"id":"o1"}}' | openssl dgst -sha256 -hmac generic-secret -binary | base64
    private static readonly HmacScheme TimestampedBase64 = new("X-Webhook-Signature", "X-Webhook-Timestamp", "X-Webhook-ID", "X-Event-Type", "sha256", "base64", "sha256=", "{timestamp}.{body}");
    private const string TimestampedVector = "sha256=ITgxmOoWqt16fN5fHrl/IR2N69yuxZfykPvifqkr9Xs=";

    // Seed sender B: X-Webhook-Signature: sha256=hex(hmac(body)), X-Webhook-Event.
    // printf '%s' '{"type":"order.paid","data":{"id":"o1"}}' | openssl dgst -sha256 -hmac generic-secret
    private static readonly HmacScheme PlainHex = new("X-Webhook-Signature", null, null, "X-Webhook-Event", "sha256", "hex", "sha256=", "{body}");
    private const string PlainVector = "sha256=fbc58e759629b76d1bb09bf6d68f5b94c041e8c8c11012f4c7f44815830bdfb7";

    private static WebhookSource Source(HmacScheme scheme, params string[] secrets) =>
        TestRequests.Source(ProviderKind.Hmac, secrets.Length == 0 ? [Secret] : secrets) with { Hmac = scheme };

    private static Webhooks.Application.Providers.SignatureCheck CheckA(string signature, byte[]? body = null, DateTimeOffset? now = null, params string[] secrets) =>
        HmacSignature.Verify(
            TestRequests.With(body ?? Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = signature, ["X-Webhook-Timestamp"] = T.ToString(System.Globalization.CultureInfo.InvariantCulture), ["X-Webhook-ID"] = "m-1", ["X-Event-Type"] = "order.paid" }),
            Source(TimestampedBase64, secrets), now ?? Now);

    [Fact]
    public void Verify_TimestampedBase64Sender_OpenSslVector_Passes() => CheckA(TimestampedVector).Valid.Should().BeTrue();

    [Fact]
    public void Sign_TimestampedBase64Sender_MatchesOpenSsl() =>
        HmacSignature.Sign(TimestampedBase64, Secret, Body, timestamp: T.ToString(System.Globalization.CultureInfo.InvariantCulture)).Should().Be(TimestampedVector);

    [Fact]
    public void Verify_TimestampedSender_StaleTimestamp_Fails() => CheckA(TimestampedVector, now: Now.AddMinutes(6)).Failure.Should().Contain("X-Webhook-Timestamp");

    [Fact]
    public void Verify_TimestampedSender_TamperedBody_Fails() => CheckA(TimestampedVector, [.. Body, (byte)' ']).Valid.Should().BeFalse();

    [Fact]
    public void Verify_TimestampedSender_WrongSecret_Fails() => CheckA(TimestampedVector, secrets: "other").Valid.Should().BeFalse();

    [Fact]
    public void Verify_TimestampedSender_RotatedSecret_Accepted() => CheckA(TimestampedVector, secrets: ["new", Secret]).Valid.Should().BeTrue();

    [Fact]
    public void Verify_PlainHexSender_OpenSslVector_Passes() =>
        HmacSignature.Verify(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = PlainVector }), Source(PlainHex), Now).Valid.Should().BeTrue();

    [Fact]
    public void Verify_PlainHexSender_MissingPrefix_Fails() =>
        HmacSignature.Verify(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = PlainVector["sha256=".Length..] }), Source(PlainHex), Now).Valid.Should().BeFalse();

    // A sender that signs its event type too: {type}.{body}.
    // printf '%s' 'order.paid.{"type":"order.paid","data":{"id":"o1"}}' | openssl dgst -sha256 -hmac generic-secret
    private static readonly HmacScheme TypeSigned = PlainHex with { SignedPayload = "{type}.{body}" };
    private const string TypeSignedVector = "sha256=c94573dca61ede76da5748438a55bda0b909649f572d3112e82f114d32ac0c1a";

    [Fact]
    public void Verify_TypeInTheTemplate_OpenSslVector_Passes() =>
        HmacSignature.Verify(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = TypeSignedVector, ["X-Webhook-Event"] = "order.paid" }), Source(TypeSigned), Now)
            .Valid.Should().BeTrue();

    /// <summary>Contract v3: where the sender signs {type}, a captured body cannot be replayed under another type.</summary>
    [Fact]
    public void Verify_TypeInTheTemplate_AnotherTypeHeader_Fails() =>
        HmacSignature.Verify(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = TypeSignedVector, ["X-Webhook-Event"] = "order.refunded" }), Source(TypeSigned), Now)
            .Valid.Should().BeFalse();

    [Fact]
    public void Verify_TypeInTheTemplate_NoTypeHeader_NamesIt() =>
        HmacSignature.Verify(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = TypeSignedVector }), Source(TypeSigned), Now)
            .Failure.Should().Contain("X-Webhook-Event");

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha512")]
    public void SignThenVerify_OtherAlgorithms_RoundTrip(string algorithm)
    {
        var scheme = PlainHex with { Algorithm = algorithm };
        var signature = HmacSignature.Sign(scheme, Secret, Body);

        HmacSignature.Verify(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Signature"] = signature }), Source(scheme), Now).Valid.Should().BeTrue();
    }

    [Fact]
    public void Interpret_EventTypeHeaderAndIdHeader_NameAndIdentifyTheEvent()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-ID"] = "m-1", ["X-Event-Type"] = "order.paid" });

        var meaning = new HmacProvider().Interpret(request, Source(TimestampedBase64));

        meaning.IdempotencyKey.Should().Be("m-1");
        meaning.Events.Single().Type.Should().Be("evt.source.shop.order.paid");
        meaning.Events.Single().Subject.Should().Be("o1");
    }

    [Fact]
    public void Interpret_TypeNamingAMappedEvent_StaysInTheSourcesNamespace()
    {
        var meaning = new HmacProvider().Interpret(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Event"] = "webhook.order.created" }), Source(PlainHex));

        meaning.Events.Single().Type.Should().Be("evt.source.shop.webhook.order.created", "a generic sender cannot publish into evt.webhook.");
    }

    [Fact]
    public void Interpret_NoIdHeader_KeysOnTheBodyHash()
    {
        var meaning = new HmacProvider().Interpret(TestRequests.With(Body, new Dictionary<string, string> { ["X-Webhook-Event"] = "order.paid" }), Source(PlainHex));

        meaning.IdempotencyKey.Should().StartWith("sha256:");
        meaning.Events.Single().Type.Should().Be("evt.source.shop.order.paid");
    }
}
