using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.Shopify;

public sealed class ShopifySignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":820982911946154508,\"total_price\":\"199.00\"}");

    // Computed independently of this code:
    // printf '%s' '{"id":820982911946154508,"total_price":"199.00"}' | openssl dgst -sha256 -hmac shpss_test -binary | base64
    private const string OpenSslSignature = "wy9I6llthsLB3e3JJpe3/RYZ0N0fVZiYexW5PEiIQKs=";

    [Fact]
    public void Verify_WhenSignatureMatchesOpenSslVector_Passes()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = OpenSslSignature });

        ShopifySignature.Verify(request, TestRequests.Source(ProviderKind.Shopify, "shpss_test")).Valid.Should().BeTrue();
    }

    [Fact]
    public void Sign_ProducesTheOpenSslVector() => ShopifySignature.Sign(Body, "shpss_test").Should().Be(OpenSslSignature);

    [Fact]
    public void Verify_WhenBodyTampered_Fails()
    {
        var tampered = Encoding.UTF8.GetBytes("{\"id\":820982911946154508,\"total_price\":\"1.00\"}");
        var request = TestRequests.With(tampered, new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = OpenSslSignature });

        var check = ShopifySignature.Verify(request, TestRequests.Source(ProviderKind.Shopify, "shpss_test"));

        check.Valid.Should().BeFalse();
        check.Failure.Should().Contain("does not match");
    }

    [Fact]
    public void Verify_WhenSignedWithAnotherSecret_Fails()
    {
        var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Body, "someone-else") });

        ShopifySignature.Verify(request, TestRequests.Source(ProviderKind.Shopify, "shpss_test")).Valid.Should().BeFalse();
    }

    [Fact]
    public void Verify_DuringRotation_AcceptsOldAndNewSecret()
    {
        var source = TestRequests.Source(ProviderKind.Shopify, "old-secret", "new-secret");

        foreach (var secret in new[] { "old-secret", "new-secret" })
        {
            var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = ShopifySignature.Sign(Body, secret) });
            ShopifySignature.Verify(request, source).Valid.Should().BeTrue($"{secret} is configured");
        }
    }

    [Fact]
    public void Verify_WhenHeaderMissing_FailsNamingTheHeader()
    {
        var check = ShopifySignature.Verify(TestRequests.With(Body, new Dictionary<string, string>()), TestRequests.Source(ProviderKind.Shopify, "shpss_test"));

        check.Valid.Should().BeFalse();
        check.Failure.Should().Contain("X-Shopify-Hmac-Sha256");
    }

    [Theory]
    [InlineData("not base64 !!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public void Verify_WhenHeaderMalformed_Fails(string header)
    {
        var request = TestRequests.With(Body, new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = header });

        ShopifySignature.Verify(request, TestRequests.Source(ProviderKind.Shopify, "shpss_test")).Valid.Should().BeFalse();
    }
}
