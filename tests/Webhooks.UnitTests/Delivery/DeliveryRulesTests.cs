using System.Text;
using FluentAssertions;
using Webhooks.Application.Delivery;
using Webhooks.Domain.Delivery;

namespace Webhooks.UnitTests.Delivery;

public sealed class OutboundSignatureTests
{
    // The Standard Webhooks specification's published example.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    [Fact]
    public void Standard_MatchesThePublishedVector() =>
        OutboundSignature.Standard(MessageId, Timestamp, Payload, [Secret]).Should().Be("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

    [Fact]
    public void Standard_DuringARotation_SendsOneSignaturePerSecret_SpaceSeparated()
    {
        var other = OutboundSignature.NewSecret();
        var header = OutboundSignature.Standard(MessageId, Timestamp, Payload, [Secret, other]);

        header.Split(' ').Should().Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", OutboundSignature.Standard(MessageId, Timestamp, Payload, [other]));
    }

    [Fact]
    public void Legacy_IsSha256OfTimestampDotBody_WithTheSecretBytes()
    {
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes($"{Timestamp}.{{\"test\": 2432232314}}")));

        OutboundSignature.Legacy(Timestamp, Payload, "k").Should().Be("sha256=" + expected);
    }

    [Fact]
    public void BodyHmac_IsHexSha256OfTheRawBody_WithTheSecretBytes() =>
        // The body-HMAC example GitHub publishes for X-Hub-Signature-256: the same construction, an independent vector.
        OutboundSignature.BodyHmac(Encoding.UTF8.GetBytes("Hello, World!"), "It's a Secret to Everybody")
            .Should().Be("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");

    [Fact]
    public void SingleSignatureSchemes_SignWithThePreviousSecret_DuringAnOverlap() =>
        OutboundSignature.SingleSecret(["previous-secret-0001", "new-secret-000002"]).Should().Be("previous-secret-0001");

    [Fact]
    public void SingleSignatureSchemes_AfterTwoRotationsInsideTheOverlap_SignWithTheSecondNewest_NotTheOldest() =>
        OutboundSignature.SingleSecret(["oldest-secret-0001", "middle-secret-0002", "newest-secret-0003"]).Should().Be("middle-secret-0002");

    [Fact]
    public void SingleSignatureSchemes_WithOneSecretLeft_SignWithIt() =>
        OutboundSignature.SingleSecret(["only-secret-000001"]).Should().Be("only-secret-000001");

    [Theory]
    [InlineData("body-hmac", "sixteen-chars-ok", true)]
    [InlineData("body-hmac", "fifteen-chars-x", false)]
    [InlineData("standard", "sixteen-chars-ok", false)]
    [InlineData("legacy", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    public void Secrets_AreCheckedAgainstTheirScheme(string scheme, string secret, bool valid) =>
        OutboundSignature.IsValidSecret(scheme, secret).Should().Be(valid);

    [Fact]
    public void NewSecret_IsWhsecWith32RandomBytes()
    {
        var secret = OutboundSignature.NewSecret();

        secret.Should().StartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Should().HaveCount(32);
        OutboundSignature.NewSecret().Should().NotBe(secret);
    }
}

public sealed class EventPatternsTests
{
    [Theory]
    [InlineData("order.created", "order.created", true)]
    [InlineData("order.created", "order.updated", false)]
    [InlineData("order.*", "order.created", true)]
    [InlineData("order.*", "order.line.added", true)]
    [InlineData("order.*", "orders.created", false)]
    [InlineData("order.*", "order", false)]
    [InlineData("*", "anything.at.all", true)]
    [InlineData("*", "evt.gateway.rejected", false)]
    [InlineData("evt.*", "evt.gateway.alert.opened", false)]
    [InlineData("evt.gateway.*", "evt.gateway.alert.opened", true)]
    [InlineData("evt.gateway.alert.*", "evt.gateway.alert.opened", true)]
    [InlineData("evt.gateway.rejected", "evt.gateway.rejected", true)]
    [InlineData("evt.*", "evt.webhook.order.created", true)]
    public void Matches(string pattern, string type, bool expected) => EventPatterns.Matches(pattern, type).Should().Be(expected);

    [Theory]
    [InlineData("order.created", true)]
    [InlineData("order.*", true)]
    [InlineData("*", true)]
    [InlineData("order.*.created", false)]
    [InlineData("*.created", false)]
    [InlineData("order..created", false)]
    [InlineData("order created", false)]
    [InlineData("", false)]
    public void IsValid(string pattern, bool expected) => EventPatterns.IsValid(pattern).Should().Be(expected);
}

public sealed class DeliveryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, AttemptVerdict.Succeeded)]
    [InlineData(204, AttemptVerdict.Succeeded)]
    [InlineData(null, AttemptVerdict.Retry)]
    [InlineData(408, AttemptVerdict.Retry)]
    [InlineData(429, AttemptVerdict.Retry)]
    [InlineData(500, AttemptVerdict.Retry)]
    [InlineData(503, AttemptVerdict.Retry)]
    [InlineData(400, AttemptVerdict.GiveUp)]
    [InlineData(404, AttemptVerdict.GiveUp)]
    [InlineData(301, AttemptVerdict.GiveUp)]
    [InlineData(410, AttemptVerdict.Gone)]
    public void Classify(int? status, AttemptVerdict expected) => DeliveryPolicy.Classify(status).Should().Be(expected);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(4, 7200)]
    [InlineData(5, 18000)]
    [InlineData(6, 36000)]
    [InlineData(7, 36000)]
    public void Schedule_FollowsStandardWebhooks_WithinTenPercentJitter(int attempt, int seconds)
    {
        var policy = new DeliveryPolicy(DeliveryPolicy.StandardSchedule);

        var earliest = policy.NextAttempt(attempt, 7, Now, null, 0.0)!.Value - Now;
        var latest = policy.NextAttempt(attempt, 7, Now, null, 0.9999)!.Value - Now;

        earliest.TotalSeconds.Should().BeApproximately(seconds * 0.9, 0.01);
        latest.TotalSeconds.Should().BeApproximately(seconds * 1.1, seconds * 0.001);
    }

    [Fact]
    public void Schedule_StopsAtTheRetryCount() =>
        new DeliveryPolicy(DeliveryPolicy.StandardSchedule).NextAttempt(3, 2, Now, null, 0.5).Should().BeNull();

    [Fact]
    public void RetryAfter_LongerThanTheSchedule_Wins_ButIsCappedAtADay()
    {
        var policy = new DeliveryPolicy(DeliveryPolicy.StandardSchedule);

        (policy.NextAttempt(1, 7, Now, TimeSpan.FromMinutes(2), 0.5)!.Value - Now).Should().Be(TimeSpan.FromMinutes(2));
        (policy.NextAttempt(1, 7, Now, TimeSpan.FromDays(9), 0.5)!.Value - Now).Should().Be(TimeSpan.FromDays(1));
        (policy.NextAttempt(2, 7, Now, TimeSpan.FromSeconds(1), 0.5)!.Value - Now).Should().Be(TimeSpan.FromMinutes(5), "a shorter Retry-After does not hurry the schedule");
    }
}
