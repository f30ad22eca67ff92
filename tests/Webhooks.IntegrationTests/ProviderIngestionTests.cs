using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Application.Providers.Hmac;
using Webhooks.Application.Providers.PayPal;
using Webhooks.Application.Providers.Slack;
using Webhooks.Application.Providers.StandardWebhooks;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Application.Providers.Twilio;
using Webhooks.Domain.Sources;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>One source per provider, signed the way each provider signs.</summary>
public sealed class AllProvidersApp : WebhooksApp
{
    public const string Secret = "provider-secret";
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string PayPalWebhookId = "WH-INTEGRATION";
    public static readonly HmacScheme HmacScheme = new("X-Webhook-Signature", "X-Webhook-Timestamp", "X-Webhook-ID", "X-Event-Type", "sha256", "base64", "sha256=", "{timestamp}.{body}");

    private readonly string certificatePath = Path.Combine(Path.GetTempPath(), $"paypal-{Guid.NewGuid():N}.pem");

    public RSA PayPalKey { get; } = RSA.Create(2048);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Sources:stripe:Provider"] = "stripe",
        ["Webhooks:Sources:stripe:Secrets:0"] = Secret,
        ["Webhooks:Sources:github:Provider"] = "github",
        ["Webhooks:Sources:github:Secrets:0"] = Secret,
        ["Webhooks:Sources:twilio:Provider"] = "twilio",
        ["Webhooks:Sources:twilio:Secrets:0"] = Secret,
        ["Webhooks:Sources:twilio:PublicUrl"] = "https://hooks.example.com",
        ["Webhooks:Sources:paypal:Provider"] = "paypal",
        ["Webhooks:Sources:paypal:WebhookId"] = PayPalWebhookId,
        ["Webhooks:Sources:paypal:CertificatePath"] = certificatePath,
        ["Webhooks:Sources:slack:Provider"] = "slack",
        ["Webhooks:Sources:slack:Secrets:0"] = Secret,
        ["Webhooks:Sources:acme-standard:Provider"] = "standard-webhooks",
        ["Webhooks:Sources:acme-standard:Secrets:0"] = StandardSecret,
        ["Webhooks:Sources:acme-hmac:Provider"] = "hmac",
        ["Webhooks:Sources:acme-hmac:Secrets:0"] = Secret,
        ["Webhooks:Sources:acme-hmac:SignatureHeader"] = HmacScheme.SignatureHeader,
        ["Webhooks:Sources:acme-hmac:TimestampHeader"] = HmacScheme.TimestampHeader,
        ["Webhooks:Sources:acme-hmac:IdHeader"] = HmacScheme.IdHeader,
        ["Webhooks:Sources:acme-hmac:EventTypeHeader"] = HmacScheme.EventTypeHeader,
        ["Webhooks:Sources:acme-hmac:Encoding"] = "base64",
        ["Webhooks:Sources:acme-hmac:Prefix"] = "sha256=",
        ["Webhooks:Sources:acme-hmac:SignedPayload"] = "{timestamp}.{body}",
    };

    public override async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = new CertificateRequest("CN=paypal-integration", PayPalKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        PayPalKey.Dispose();
        File.Delete(certificatePath);
    }
}

public sealed class ProviderIngestionTests(AllProvidersApp app) : IClassFixture<AllProvidersApp>, IAsyncLifetime
{
    private static readonly string Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
    private EventCollector events = null!;

    public async Task InitializeAsync() => events = await EventCollector.StartAsync();

    public async Task DisposeAsync() => await events.DisposeAsync();

    [Fact]
    public async Task Stripe_SignedEvent_PublishesPaymentSucceeded()
    {
        var body = $$$"""{"id":"evt_{{{Guid.NewGuid():N}}}","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":2000,"currency":"usd","status":"succeeded","customer":"cus_1"}} }""";
        var data = await AcceptedEventData("stripe", body, "evt.webhook.payment.succeeded", h => h["Stripe-Signature"] = StripeSignature.Sign(Bytes(body), AllProvidersApp.Secret, long.Parse(Now, System.Globalization.CultureInfo.InvariantCulture)));

        data.GetProperty("amount").GetInt64().Should().Be(2000, "Stripe's integer in minor units (seed 000)");
        data.GetProperty("amount_decimal").GetString().Should().Be("20.00");
        data.GetProperty("currency").GetString().Should().Be("usd", "as Stripe spells it (seed 000)");
        data.GetProperty("customer_id").GetString().Should().Be("cus_1");
        await RejectedAndNotStored("stripe", body, h => h["Stripe-Signature"] = StripeSignature.Sign(Bytes(body), "whsec_forged", long.Parse(Now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task GitHub_SignedPush_PublishesGitPush()
    {
        const string body = """{"ref":"refs/heads/main","after":"abc123","repository":{"full_name":"acme/api"},"pusher":{"name":"ada"},"commits":[{},{},{}],"head_commit":{"id":"abc123","message":"Ship it"}}""";
        var delivery = Guid.NewGuid().ToString();
        var data = await AcceptedEventData("github", body, "evt.webhook.git.push", h =>
        {
            h["X-Hub-Signature-256"] = GitHubSignature.Sign(Bytes(body), AllProvidersApp.Secret);
            h["X-GitHub-Event"] = "push";
            h["X-GitHub-Delivery"] = delivery;
        });

        data.GetProperty("repository").GetString().Should().Be("acme/api");
        data.GetProperty("commit_count").GetInt32().Should().Be(3);
        data.GetProperty("pusher").GetString().Should().Be("ada");
        await RejectedAndNotStored("github", body, h =>
        {
            h["X-Hub-Signature-256"] = GitHubSignature.Sign(Bytes(body), "forged");
            h["X-GitHub-Event"] = "push";
        });
    }

    [Fact]
    public async Task Twilio_SignedSmsStatusForm_PublishesSmsStatusUpdated()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var body = $"MessageSid={sid}&MessageStatus=delivered&To=%2B15551234567&From=%2B15557654321";
        var parameters = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "delivered", ["To"] = "+15551234567", ["From"] = "+15557654321" };
        var signature = TwilioSignature.Sign("https://hooks.example.com/api/v1/webhooks/twilio", parameters, AllProvidersApp.Secret);

        var data = await AcceptedEventData("twilio", body, "evt.webhook.sms.status_update", h => h["X-Twilio-Signature"] = signature, "application/x-www-form-urlencoded");

        data.GetProperty("message_sid").GetString().Should().Be(sid);
        data.GetProperty("status").GetString().Should().Be("delivered");
        await RejectedAndNotStored("twilio", body, h => h["X-Twilio-Signature"] = TwilioSignature.Sign("https://hooks.example.com/api/v1/webhooks/twilio", parameters, "forged"), "application/x-www-form-urlencoded");
    }

    [Fact]
    public async Task PayPal_SignedCapture_PublishesPaymentSucceeded()
    {
        var body = $$$"""{"id":"WH-{{{Guid.NewGuid():N}}}","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"CAP-7","status":"COMPLETED","amount":{"value":"42.00","currency_code":"EUR"}} }""";
        var transmission = Guid.NewGuid().ToString();
        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string Sign(RSA key) => Convert.ToBase64String(key.SignData(
            Bytes(PayPalSignature.SignedText(transmission, time, AllProvidersApp.PayPalWebhookId, Bytes(body))), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        void Headers(Dictionary<string, string> h, string signature)
        {
            h["PAYPAL-TRANSMISSION-ID"] = transmission;
            h["PAYPAL-TRANSMISSION-TIME"] = time;
            h["PAYPAL-TRANSMISSION-SIG"] = signature;
            h["PAYPAL-AUTH-ALGO"] = "SHA256withRSA";
            h["PAYPAL-CERT-URL"] = "https://api.paypal.com/v1/notifications/certs/CERT-1";
        }

        var data = await AcceptedEventData("paypal", body, "evt.webhook.payment.succeeded", h => Headers(h, Sign(app.PayPalKey)));

        data.GetProperty("amount").GetInt64().Should().Be(4200, "one payment schema: minor units, as Stripe's");
        data.GetProperty("amount_decimal").GetString().Should().Be("42.00");
        data.GetProperty("currency").GetString().Should().Be("eur");
        using var stranger = RSA.Create(2048);
        await RejectedAndNotStored("paypal", body.Replace("CAP-7", "CAP-8", StringComparison.Ordinal), h => Headers(h, Sign(stranger)));
    }

    [Fact]
    public async Task Slack_SignedEventCallback_PublishesSlackEvent()
    {
        var body = $$$"""{"type":"event_callback","team_id":"T1","event_id":"Ev{{{Guid.NewGuid():N}}}","event":{"type":"app_mention","channel":"C1","text":"hello"}}""";
        var timestamp = long.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);

        var data = await AcceptedEventData("slack", body, "evt.webhook.slack.app_mention", h =>
        {
            h["X-Slack-Signature"] = SlackSignature.Sign(Bytes(body), AllProvidersApp.Secret, timestamp);
            h["X-Slack-Request-Timestamp"] = Now;
        });

        data.GetProperty("event").GetProperty("text").GetString().Should().Be("hello");
        await RejectedAndNotStored("slack", body, h =>
        {
            h["X-Slack-Signature"] = SlackSignature.Sign(Bytes(body), "forged", timestamp);
            h["X-Slack-Request-Timestamp"] = Now;
        });
    }

    [Fact]
    public async Task Slack_UrlVerification_IsAnsweredWithTheChallengeAndNotStored()
    {
        const string body = """{"token":"t","challenge":"c-123","type":"url_verification"}""";
        using var client = app.CreateClient();
        var before = await InboxCount("slack");

        using var response = await client.SendAsync(Request("slack", body, h =>
        {
            h["X-Slack-Signature"] = SlackSignature.Sign(Bytes(body), AllProvidersApp.Secret, long.Parse(Now, System.Globalization.CultureInfo.InvariantCulture));
            h["X-Slack-Request-Timestamp"] = Now;
        }));

        (await response.Content.ReadAsStringAsync()).Should().Be("""{"challenge":"c-123"}""");
        (await InboxCount("slack")).Should().Be(before);
    }

    [Fact]
    public async Task StandardWebhooks_SignedMessage_PublishesTheSendersType()
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        const string body = """{"type":"invoice.paid","timestamp":"2026-11-22T09:00:00Z","data":{"id":"inv_1","amount":1500}}""";
        var timestamp = long.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);

        var data = await AcceptedEventData("acme-standard", body, "evt.source.acme-standard.invoice.paid", h =>
        {
            h["webhook-id"] = id;
            h["webhook-timestamp"] = Now;
            h["webhook-signature"] = StandardWebhooksSignature.Sign(id, timestamp, Bytes(body), AllProvidersApp.StandardSecret);
        });

        data.GetProperty("amount").GetInt32().Should().Be(1500);
        await RejectedAndNotStored("acme-standard", body, h =>
        {
            h["webhook-id"] = "msg_forged";
            h["webhook-timestamp"] = Now;
            h["webhook-signature"] = StandardWebhooksSignature.Sign("msg_forged", timestamp, Bytes(body), "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        });
    }

    [Fact]
    public async Task GenericHmac_SignedDelivery_PublishesTheHeaderType()
    {
        const string body = """{"data":{"id":"o-77","total":"12.50"}}""";
        var data = await AcceptedEventData("acme-hmac", body, "evt.source.acme-hmac.order.paid", h =>
        {
            h["X-Webhook-Signature"] = HmacSignature.Sign(AllProvidersApp.HmacScheme, AllProvidersApp.Secret, Bytes(body), timestamp: Now);
            h["X-Webhook-Timestamp"] = Now;
            h["X-Webhook-ID"] = Guid.NewGuid().ToString();
            h["X-Event-Type"] = "order.paid";
        });

        data.GetProperty("total").GetString().Should().Be("12.50");
        var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await RejectedAndNotStored("acme-hmac", body, h =>
        {
            h["X-Webhook-Signature"] = HmacSignature.Sign(AllProvidersApp.HmacScheme, AllProvidersApp.Secret, Bytes(body), timestamp: stale);
            h["X-Webhook-Timestamp"] = stale;
            h["X-Webhook-ID"] = Guid.NewGuid().ToString();
            h["X-Event-Type"] = "order.paid";
        });
    }

    private async Task<JsonElement> AcceptedEventData(string source, string body, string eventType, Action<Dictionary<string, string>> sign, string contentType = "application/json")
    {
        using var client = app.CreateClient();
        using var response = await client.SendAsync(Request(source, body, sign, contentType));
        var accepted = await response.AcceptedAsync();

        var received = await Eventually.GetAsync(
            () => events.ForInbox(accepted.Id),
            e => e.Any(x => x.RoutingKey == eventType) && e.Any(x => x.RoutingKey == "evt.webhook.received"),
            because: $"{eventType} and evt.webhook.received reach RabbitMQ");
        var mapped = received.Single(x => x.RoutingKey == eventType);
        mapped.Json.GetProperty("source").GetString().Should().Be($"/webhooks/{source}");
        return mapped.Json.GetProperty("data");
    }

    private async Task RejectedAndNotStored(string source, string body, Action<Dictionary<string, string>> sign, string contentType = "application/json")
    {
        using var client = app.CreateClient();
        var before = await InboxCount(source);

        using var response = await client.SendAsync(Request(source, body, sign, contentType));

        await response.ProblemAsync(401);
        (await InboxCount(source)).Should().Be(before);
    }

    private Task<long> InboxCount(string source) => app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE source = $1", source);

    private static HttpRequestMessage Request(string source, string body, Action<Dictionary<string, string>> sign, string contentType = "application/json")
    {
        var headers = new Dictionary<string, string>();
        sign(headers);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{source}") { Content = new ByteArrayContent(Bytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
