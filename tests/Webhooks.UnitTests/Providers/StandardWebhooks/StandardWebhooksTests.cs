using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.StandardWebhooks;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.StandardWebhooks;

public sealed class StandardWebhooksTests
{
    // The specification's reference vector.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp + 5);

    private static Webhooks.Application.Providers.SignatureCheck Check(byte[] body, string signature, DateTimeOffset? now = null, params string[] secrets) =>
        StandardWebhooksSignature.Verify(
            TestRequests.With(body, new Dictionary<string, string> { ["webhook-id"] = Id, ["webhook-timestamp"] = Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), ["webhook-signature"] = signature }),
            TestRequests.Source(ProviderKind.StandardWebhooks, secrets.Length == 0 ? [Secret] : secrets),
            now ?? Now);

    [Fact]
    public void Verify_SpecificationVector_Passes() => Check(Body, Expected).Valid.Should().BeTrue();

    [Fact]
    public void Sign_ProducesSpecificationVector() => StandardWebhooksSignature.Sign(Id, Timestamp, Body, Secret).Should().Be(Expected);

    [Fact]
    public void Verify_ListWithOtherVersionsAndAStaleSignature_PassesOnTheMatchingOne() =>
        Check(Body, "v1a,abc v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + Expected).Valid.Should().BeTrue();

    [Fact]
    public void Verify_TamperedBody_Fails() => Check(Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), Expected).Valid.Should().BeFalse();

    [Fact]
    public void Verify_WrongSecret_Fails() => Check(Body, Expected, secrets: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").Valid.Should().BeFalse();

    [Fact]
    public void Verify_RotatedSecret_Accepted() => Check(Body, Expected, secrets: ["whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", Secret]).Valid.Should().BeTrue();

    [Fact]
    public void Verify_ExpiredTimestamp_Fails() => Check(Body, Expected, DateTimeOffset.FromUnixTimeSeconds(Timestamp + 600)).Failure.Should().Contain("webhook-timestamp");

    [Fact]
    public void Interpret_TypeFromBody_BecomesEventType()
    {
        var request = TestRequests.With(Encoding.UTF8.GetBytes("""{"type":"invoice.paid","timestamp":"2026-01-01T00:00:00Z","data":{"id":"inv_1","amount":10}}"""), new Dictionary<string, string> { ["webhook-id"] = Id });

        var meaning = new StandardWebhooksProvider().Interpret(request, TestRequests.Source(ProviderKind.StandardWebhooks, Secret));

        meaning.IdempotencyKey.Should().Be(Id);
        meaning.Events.Single().Type.Should().Be("evt.source.shop.invoice.paid");
        meaning.Events.Single().Data["amount"]!.GetValue<int>().Should().Be(10);
    }
}
