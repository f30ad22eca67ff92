using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.PayPal;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.PayPal;

/// <summary>PayPal publishes no vector: a key pair and certificate are made here and the scheme applied to them.</summary>
public sealed class PayPalTests : IDisposable
{
    private const string WebhookId = "WH-1234567890";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"WH-EVT-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"CAP-1","status":"COMPLETED","amount":{"value":"10.00","currency_code":"USD"}}}""");

    private readonly RSA trustedKey = RSA.Create(2048);
    private readonly RSA strangerKey = RSA.Create(2048);
    private readonly string trustedPath = Path.GetTempFileName();

    public PayPalTests()
    {
        using var certificate = SelfSigned(trustedKey, "CN=messageverificationcerts.paypal.test");
        File.WriteAllText(trustedPath, certificate.ExportCertificatePem());
    }

    public void Dispose()
    {
        trustedKey.Dispose();
        strangerKey.Dispose();
        File.Delete(trustedPath);
    }

    [Fact]
    public void Crc32_AsPayPalSignsIt_IsTheIeeeChecksum() => System.IO.Hashing.Crc32.HashToUInt32("123456789"u8).Should().Be(0xCBF43926);

    [Fact]
    public void SignedText_IsIdTimeWebhookIdAndUnsignedDecimalCrc() =>
        PayPalSignature.SignedText("T1", "2026-11-22T09:00:00Z", WebhookId, "123456789"u8.ToArray()).Should().Be("T1|2026-11-22T09:00:00Z|WH-1234567890|3421780262");

    [Fact]
    public void Verify_SignedByTheTrustedCertificate_Passes() => Check(Sign(trustedKey)).Valid.Should().BeTrue();

    [Fact]
    public void Verify_SignedByAKeyNotInTheTrustedSet_Fails() => Check(Sign(strangerKey)).Failure.Should().Contain("trusted");

    [Fact]
    public void Verify_TamperedBody_Fails() => Check(Sign(trustedKey), body: [.. Body, (byte)' ']).Valid.Should().BeFalse();

    [Fact]
    public void Verify_OtherWebhookId_Fails() => Check(Sign(trustedKey, webhookId: "WH-OTHER")).Valid.Should().BeFalse();

    [Fact]
    public void Verify_TransmissionTimeOutsideTolerance_Fails() => Check(Sign(trustedKey), now: Now.AddMinutes(10)).Failure.Should().Contain("PAYPAL-TRANSMISSION-TIME");

    [Fact]
    public void Verify_OtherAlgorithm_Fails() => Check(Sign(trustedKey), algorithm: "SHA1withRSA").Valid.Should().BeFalse();

    [Fact]
    public void Verify_NeverUsesTheCertUrlTheRequestNames()
    {
        // The header points at a certificate; it is ignored — a stranger's signature stays refused.
        Check(Sign(strangerKey), certUrl: "https://attacker.example/cert.pem").Valid.Should().BeFalse();
    }

    [Fact]
    public void Verify_RotatedCertificates_AnyTrustedOnePasses()
    {
        using var other = SelfSigned(strangerKey, "CN=next.paypal.test");
        using var current = SelfSigned(trustedKey, "CN=current.paypal.test");
        File.WriteAllText(trustedPath, other.ExportCertificatePem() + "\n" + current.ExportCertificatePem());

        Check(Sign(strangerKey)).Valid.Should().BeTrue();
        Check(Sign(trustedKey)).Valid.Should().BeTrue();
    }

    [Theory]
    [InlineData("PAYMENT.CAPTURE.COMPLETED", "evt.webhook.payment.succeeded")]
    [InlineData("PAYMENT.CAPTURE.DENIED", "evt.webhook.payment.failed")]
    [InlineData("PAYMENT.CAPTURE.REFUNDED", "evt.webhook.payment.refunded")]
    [InlineData("BILLING.SUBSCRIPTION.CREATED", "evt.webhook.subscription.created")]
    [InlineData("BILLING.SUBSCRIPTION.CANCELLED", "evt.webhook.subscription.cancelled")]
    public void Interpret_EachMappedType(string type, string expected)
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"WH-EVT-2\",\"event_type\":\"" + type + "\",\"resource\":{\"id\":\"R-1\",\"amount\":{\"value\":\"5.00\",\"currency_code\":\"EUR\"}}}");

        var meaning = new PayPalProvider().Interpret(TestRequests.With(body, new Dictionary<string, string> { ["PAYPAL-TRANSMISSION-ID"] = "T-9" }), Source());

        meaning.Events.Single().Type.Should().Be(expected);
        meaning.IdempotencyKey.Should().Be("T-9");
    }

    private WebhookSource Source() => TestRequests.Source(ProviderKind.PayPal) with { WebhookId = WebhookId, CertificatePath = trustedPath };

    private Webhooks.Application.Providers.SignatureCheck Check((string Signature, string Time) signed, byte[]? body = null, DateTimeOffset? now = null, string algorithm = "SHA256withRSA", string? certUrl = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["PAYPAL-TRANSMISSION-ID"] = "T-1",
            ["PAYPAL-TRANSMISSION-TIME"] = signed.Time,
            ["PAYPAL-TRANSMISSION-SIG"] = signed.Signature,
            ["PAYPAL-AUTH-ALGO"] = algorithm,
            ["PAYPAL-CERT-URL"] = certUrl ?? "https://api.paypal.com/v1/notifications/certs/CERT-1",
        };
        return PayPalSignature.Verify(TestRequests.With(body ?? Body, headers), Source(), now ?? Now);
    }

    private static (string, string) Sign(RSA key, string webhookId = WebhookId)
    {
        const string time = "2026-11-22T09:00:00Z";
        var text = PayPalSignature.SignedText("T-1", time, webhookId, Body);
        return (Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), time);
    }

    private static X509Certificate2 SelfSigned(RSA key, string subject) =>
        new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
}
