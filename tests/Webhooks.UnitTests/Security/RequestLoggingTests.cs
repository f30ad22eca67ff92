using FluentAssertions;
using Webhooks.Api.Http;

namespace Webhooks.UnitTests.Security;

/// <summary>A portal link opens a session for days: its token is never written to the request log.</summary>
public sealed class RequestLoggingTests
{
    private const string Token = "k3J9xQ2mVb7LpZr4Tw8YcN1dFh6Gs0Ue5AiOo_-WqEa";

    [Fact]
    public void APortalLink_IsLoggedWithoutItsToken() =>
        RequestLogging.Shown("/portal/" + Token).Should().Be("/portal/…").And.NotContain(Token);

    [Theory]
    [InlineData("/portal")]
    [InlineData("/portal/deliveries")]
    [InlineData("/portal/subscriptions/0190f5a4-1c2b-7000-8000-000000000001")]
    [InlineData("/api/v1/webhooks/shopify")]
    public void OtherPaths_AreLoggedAsTheyAre(string path) => RequestLogging.Shown(path).Should().Be(path);
}
