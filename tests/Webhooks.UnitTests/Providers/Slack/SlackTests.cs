using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.Slack;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.Slack;

public sealed class SlackTests
{
    // Slack's documented example (verifying requests from Slack).
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long Timestamp = 1531420618;
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Timestamp + 30);

    private static Webhooks.Application.Providers.SignatureCheck Check(byte[] body, string signature, long timestamp = Timestamp, DateTimeOffset? now = null, params string[] secrets) =>
        SlackSignature.Verify(
            TestRequests.With(body, new Dictionary<string, string> { ["X-Slack-Signature"] = signature, ["X-Slack-Request-Timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            TestRequests.Source(ProviderKind.Slack, secrets.Length == 0 ? [Secret] : secrets),
            now ?? Now);

    [Fact]
    public void Verify_DocumentedVector_Passes() => Check(Body, Expected).Valid.Should().BeTrue();

    [Fact]
    public void Sign_ProducesDocumentedVector() => SlackSignature.Sign(Body, Secret, Timestamp).Should().Be(Expected);

    [Fact]
    public void Verify_TamperedBody_Fails() => Check([.. Body, (byte)'x'], Expected).Valid.Should().BeFalse();

    [Fact]
    public void Verify_WrongSecret_Fails() => Check(Body, Expected, secrets: "other").Valid.Should().BeFalse();

    [Fact]
    public void Verify_RotatedSecret_Accepted() => Check(Body, Expected, secrets: ["new", Secret]).Valid.Should().BeTrue();

    [Fact]
    public void Verify_TimestampOutsideTolerance_Fails() =>
        Check(Body, Expected, now: DateTimeOffset.FromUnixTimeSeconds(Timestamp + 301)).Failure.Should().Contain("X-Slack-Request-Timestamp");

    [Fact]
    public void Verify_DifferentSignedTimestamp_Fails() => Check(Body, Expected, Timestamp + 1).Valid.Should().BeFalse();

    [Fact]
    public void Interpret_UrlVerification_AnswersTheChallengeWithoutStoring()
    {
        var meaning = Interpret("""{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        meaning.StoreAndPublish.Should().BeFalse();
        meaning.ImmediateResponse.Should().Be("""{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}""");
    }

    [Fact]
    public void Interpret_EventCallback_YieldsSlackEventType()
    {
        var meaning = Interpret("""{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"app_mention","channel":"C1","text":"hi"}}""");

        meaning.IdempotencyKey.Should().Be("Ev1");
        var mapped = meaning.Events.Single();
        mapped.Type.Should().Be("evt.webhook.slack.app_mention");
        mapped.Data["event"]!["text"]!.GetValue<string>().Should().Be("hi");
    }

    [Fact]
    public void Interpret_SlashCommandForm_YieldsSlashCommandEvent()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string>()) with { ContentType = "application/x-www-form-urlencoded" };

        var mapped = new SlackProvider().Interpret(request, TestRequests.Source(ProviderKind.Slack, Secret)).Events.Single();

        mapped.Type.Should().Be("evt.webhook.slack.slash_command");
        mapped.Data["command"]!.GetValue<string>().Should().Be("/webhook-collect");
    }

    [Fact]
    public void Interpret_InteractionAsDeepAsTheParserAllows_IsCarriedWhole()
    {
        // 64 levels in the payload; wrapped as the event's "event" it is one level deeper.
        var payload = "{\"type\":\"block_actions\",\"trigger_id\":\"t1\",\"state\":" + new string('[', 63) + new string(']', 63) + "}";
        var form = "payload=" + Uri.EscapeDataString(payload);
        var request = TestRequests.With(Encoding.UTF8.GetBytes(form), new Dictionary<string, string>()) with { ContentType = "application/x-www-form-urlencoded" };

        var mapped = new SlackProvider().Interpret(request, TestRequests.Source(ProviderKind.Slack, Secret)).Events.Single();

        mapped.Type.Should().Be("evt.webhook.slack.block_actions");
        mapped.Data["event"]!["trigger_id"]!.GetValue<string>().Should().Be("t1");
    }

    private static Webhooks.Application.Providers.WebhookInterpretation Interpret(string body) =>
        new SlackProvider().Interpret(TestRequests.With(Encoding.UTF8.GetBytes(body), new Dictionary<string, string>()), TestRequests.Source(ProviderKind.Slack, Secret));
}
