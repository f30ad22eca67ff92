using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The service with its Data Protection key ring encrypted by a certificate of the test's own.</summary>
public sealed class CertificateKeyRingApp : WebhooksApp
{
    private readonly string certificate = Path.Combine(Path.GetTempPath(), $"webhooks-keyring-{Guid.NewGuid():N}.pfx");

    public CertificateKeyRingApp()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=webhooks-key-ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(certificate, made.Export(X509ContentType.Pkcs12, "ring-password"));
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:DataProtection:CertificatePath"] = certificate,
        ["Webhooks:DataProtection:CertificatePassword"] = "ring-password",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(certificate);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Contract v3, Operations: the key ring can be protected with a certificate; the admin health says whether it is.</summary>
public sealed class KeyRingTests(CertificateKeyRingApp app) : IClassFixture<CertificateKeyRingApp>
{
    [Fact]
    public async Task WithACertificate_TheKeysAreStoredEncrypted_AndSecretsStillWork()
    {
        using var admin = app.CreateAdminClient();
        var name = "ring-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { WebhooksApp.ShopifySecret } }))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.Created);

        var keys = await app.Database.ScalarAsync<string>("SELECT string_agg(xml, '') FROM data_protection_keys");
        keys.Should().Contain("encryptedSecret").And.NotContain("<masterKey", "the key's secret is encrypted to the certificate");
        using var client = app.CreateClient();
        await Eventually.GetAsync(async () => (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), source: name))).StatusCode,
            s => s == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the source's encrypted secret verifies deliveries");
        var health = await admin.GetFromJsonAsync<JsonElement>("/api/v1/health");
        health.GetProperty("key_ring").GetString().Should().Be("protected");
    }
}

public sealed class UnprotectedKeyRingTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task WithoutACertificate_TheAdminHealthSaysTheKeyRingIsUnprotected_AndAnonymousHealthDoesNot()
    {
        using var admin = app.CreateAdminClient();
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/health")).GetProperty("key_ring").GetString().Should().Be("unprotected");
        (await app.CreateClient().GetStringAsync("/api/v1/health")).Should().NotContain("key_ring");
    }
}
