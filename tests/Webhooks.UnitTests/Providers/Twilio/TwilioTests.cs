using System.Text;
using FluentAssertions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Providers.Twilio;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.Twilio;

public sealed class TwilioTests
{
    // Twilio's documented vector (auth token 12345), as in its request-validator libraries.
    private const string Token = "12345";
    private const string Expected = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    private const string Form = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";

    // twilio-python's JSON-body case: the URL carries bodySHA256 and only the URL is signed.
    private const string JsonBody = "{\"property\": \"value\", \"boolean\": true}";
    private const string BodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    private const string JsonExpected = "a9nBmqA0ju/hNViExpshrM61xv4=";

    private static WebhookRequest Request(string body, string contentType, string signature, string pathAndQuery = "/myapp.php?foo=1&bar=2", string host = "mycompany.com", string scheme = "https") =>
        new("twilio", null, Encoding.UTF8.GetBytes(body), contentType,
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Twilio-Signature"] = signature },
            scheme, host, pathAndQuery, null, "c", null);

    private static WebhookSource Source(string? publicUrl = null, params string[] tokens) =>
        TestRequests.Source(ProviderKind.Twilio, tokens.Length == 0 ? [Token] : tokens) with { PublicUrl = publicUrl };

    [Fact]
    public void Verify_DocumentedFormVector_Passes() =>
        TwilioSignature.Verify(Request(Form, "application/x-www-form-urlencoded", Expected), Source()).Valid.Should().BeTrue();

    [Fact]
    public void Sign_SortsParametersByName() =>
        TwilioSignature.Sign("https://mycompany.com/myapp.php?foo=1&bar=2",
            [new("To", "+18005551212"), new("CallSid", "CA1234567890ABCDE"), new("From", "+14158675309"), new("Digits", "1234"), new("Caller", "+14158675309")], Token)
            .Should().Be(Expected);

    [Fact]
    public void Verify_ParameterOrderInBody_DoesNotMatter() =>
        TwilioSignature.Verify(Request("To=%2B18005551212&From=%2B14158675309&Digits=1234&Caller=%2B14158675309&CallSid=CA1234567890ABCDE", "application/x-www-form-urlencoded", Expected), Source())
            .Valid.Should().BeTrue();

    [Fact]
    public void Verify_TamperedParameter_Fails() =>
        TwilioSignature.Verify(Request(Form.Replace("Digits=1234", "Digits=9999", StringComparison.Ordinal), "application/x-www-form-urlencoded", Expected), Source()).Valid.Should().BeFalse();

    [Fact]
    public void Verify_WrongToken_Fails() =>
        TwilioSignature.Verify(Request(Form, "application/x-www-form-urlencoded", Expected), Source(null, "54321")).Valid.Should().BeFalse();

    [Fact]
    public void Verify_RotatedTokens_BothAccepted() =>
        TwilioSignature.Verify(Request(Form, "application/x-www-form-urlencoded", Expected), Source(null, "new-token", Token)).Valid.Should().BeTrue();

    [Fact]
    public void Verify_JsonBodyVector_Passes() =>
        TwilioSignature.Verify(Request(JsonBody, "application/json", JsonExpected, "/myapp.php?foo=1&bar=2&bodySHA256=" + BodyHash), Source()).Valid.Should().BeTrue();

    [Fact]
    public void Verify_JsonBodyNotMatchingItsHash_Fails() =>
        TwilioSignature.Verify(Request(JsonBody + " ", "application/json", JsonExpected, "/myapp.php?foo=1&bar=2&bodySHA256=" + BodyHash), Source())
            .Failure.Should().Contain("bodySHA256");

    [Fact]
    public void Verify_JsonBodyWithoutBodyHash_Fails() =>
        TwilioSignature.Verify(Request(JsonBody, "application/json", JsonExpected), Source()).Valid.Should().BeFalse();

    [Fact]
    public void Verify_SignedWithoutPort_RequestSeenWithDefaultPort_Passes() =>
        TwilioSignature.Verify(Request(Form, "application/x-www-form-urlencoded", Expected, host: "mycompany.com:443"), Source()).Valid.Should().BeTrue();

    [Fact]
    public void Verify_SignedWithDefaultPort_RequestSeenWithout_Passes()
    {
        var signedWithPort = TwilioSignature.Sign("https://mycompany.com:443/myapp.php?foo=1&bar=2",
            [new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"), new("From", "+14158675309"), new("To", "+18005551212")], Token);

        TwilioSignature.Verify(Request(Form, "application/x-www-form-urlencoded", signedWithPort), Source()).Valid.Should().BeTrue();
    }

    [Fact]
    public void Verify_BehindAProxy_PublicUrlRebuildsTheSignedUrl()
    {
        var behindProxy = Request(Form, "application/x-www-form-urlencoded", Expected, host: "10.0.0.5:8012", scheme: "http");

        TwilioSignature.Verify(behindProxy, Source()).Valid.Should().BeFalse("the internal URL is not what Twilio signed");
        TwilioSignature.Verify(behindProxy, Source("https://mycompany.com")).Valid.Should().BeTrue();
    }

    [Fact]
    public void Interpret_SmsStatusCallback_YieldsSmsStatusUpdated()
    {
        var request = Request("MessageSid=SM1&MessageStatus=delivered&To=%2B15551234567&From=%2B15557654321&AccountSid=AC1", "application/x-www-form-urlencoded", "x");

        var meaning = new TwilioProvider().Interpret(request, Source());

        meaning.IdempotencyKey.Should().Be("SM1:delivered");
        var mapped = meaning.Events.Single();
        mapped.Type.Should().Be("evt.webhook.sms.status_update");
        mapped.Data["status"]!.GetValue<string>().Should().Be("delivered");
        mapped.Data["to"]!.GetValue<string>().Should().Be("+15551234567");
    }

    [Fact]
    public void Interpret_CallStatusCallback_YieldsCallStatusUpdated_AndPrefersTheIdempotencyToken()
    {
        var request = Request("CallSid=CA1&CallStatus=completed&CallDuration=42", "application/x-www-form-urlencoded", "x");
        var withToken = request with { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["I-Twilio-Idempotency-Token"] = "tok-1" } };

        var meaning = new TwilioProvider().Interpret(withToken, Source());

        meaning.IdempotencyKey.Should().Be("tok-1");
        meaning.Events.Single().Type.Should().Be("evt.webhook.call.status_update");
        meaning.Events.Single().Data["duration"]!.GetValue<string>().Should().Be("42");
    }

    [Fact]
    public void Interpret_FailedMessage_CarriesErrorCodeAndMessage()
    {
        var request = Request("MessageSid=SM2&MessageStatus=undelivered&ErrorCode=30003&ErrorMessage=Unreachable+destination+handset", "application/x-www-form-urlencoded", "x");

        var data = new TwilioProvider().Interpret(request, Source()).Events.Single().Data;

        data["error_code"]!.GetValue<string>().Should().Be("30003");
        data["error_message"]!.GetValue<string>().Should().Be("Unreachable destination handset");
    }
}
