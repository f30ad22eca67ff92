using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The service on a loopback socket, so the client address is real; one source allows 10/8, one loopback.</summary>
public class AddressListApp : WebhooksApp
{
    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Sources:office:Provider"] = "shopify",
        ["Webhooks:Sources:office:Secrets:0"] = ShopifySecret,
        ["Webhooks:Sources:office:AllowedIps:0"] = "10.0.0.0/8",
        ["Webhooks:Sources:office:AllowedIps:1"] = "2001:db8::/32",
        ["Webhooks:Sources:local:Provider"] = "shopify",
        ["Webhooks:Sources:local:Secrets:0"] = ShopifySecret,
        ["Webhooks:Sources:local:AllowedIps:0"] = "127.0.0.1",
    };
}

/// <summary>The same, behind a reverse proxy on loopback that the configuration names.</summary>
public sealed class BehindProxyApp : AddressListApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Webhooks:ForwardedHeaders:KnownProxies:0"] = "127.0.0.0/8",
    };
}

public sealed class AllowedIpsTests(AddressListApp app) : IClassFixture<AddressListApp>
{
    [Fact]
    public async Task Delivery_FromOutsideTheSourcesList_Answers403_AndStoresNothing()
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        var problem = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), eventId: "outside", source: "office"))).ProblemAsync(403);
        problem.GetProperty("detail").GetString().Should().Contain("office");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE source = 'office'")).Should().Be(0);
    }

    [Fact]
    public async Task Delivery_FromInsideTheList_IsAccepted_AndSourcesWithoutAListTakeAnyone()
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), source: "local"))).AcceptedAsync();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), source: "shopify"))).AcceptedAsync();
    }

    [Fact]
    public async Task XForwardedFor_WithoutAConfiguredProxy_IsIgnored()
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        var request = Shopify.Delivery(Shopify.OrderBody(3), source: "office");
        request.Headers.Add("X-Forwarded-For", "10.1.2.3");
        await (await client.SendAsync(request)).ProblemAsync(403);
    }
}

public sealed class KnownProxyTests(BehindProxyApp app) : IClassFixture<BehindProxyApp>
{
    [Theory]
    [InlineData("10.1.2.3", 200)]
    [InlineData("2001:db8::7", 200)]
    [InlineData("192.168.1.5", 403)]
    [InlineData("10.1.2.3, 192.168.1.5", 403)] // the hop nearest the proxy is the client it saw
    public async Task XForwardedFor_FromAKnownProxy_DecidesTheClientAddress(string forwardedFor, int status)
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        var request = Shopify.Delivery(Shopify.OrderBody(4), source: "office");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        ((int)response.StatusCode).Should().Be(status, await response.Content.ReadAsStringAsync());
    }
}
