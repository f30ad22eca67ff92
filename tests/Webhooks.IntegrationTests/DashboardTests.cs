using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class DashboardTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task Dashboard_WithoutCredentials_AsksForTheBasicLogin()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/admin");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Basic");
    }

    [Fact]
    public async Task Dashboard_WithBasicLogin_RendersEveryPage()
    {
        using var client = app.CreateDashboardClient();
        var accepted = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(4242)))).AcceptedAsync();

        foreach (var (path, expected) in new[]
        {
            ("/admin", "Latest webhooks"),
            ("/admin/inbox?source=shopify", accepted.Id.ToString()),
            ($"/admin/inbox/{accepted.Id}", "[redacted]"),
            ("/admin/dead-letters", "Replay all that match this filter"),
            ("/admin/system", "outbox-sweep"),
            ("/admin/audit", "Audit log"),
        })
        {
            using var response = await client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
            (await response.Content.ReadAsStringAsync()).Should().Contain(expected, path);
        }
    }

    [Fact]
    public async Task Dashboard_Pages_SendAContentSecurityPolicyWithoutUnsafeInline_AndServeTheirStylesAndScriptFromTheApp()
    {
        using var client = app.CreateDashboardClient();
        using var admin = app.CreateAdminClient();
        using var subscription = await admin.PostAsJsonAsync("/api/v1/subscriptions", new { url = "https://93.184.215.14/hooks", events = new[] { "order.*" } });
        subscription.EnsureSuccessStatusCode();
        var subscriptionId = (await subscription.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        foreach (var path in new[] { "/admin", "/admin/inbox", "/admin/dead-letters", "/admin/system", "/admin/audit", "/admin/subscriptions", $"/admin/subscriptions/{subscriptionId}", "/admin/logout" })
        {
            using var response = await client.GetAsync(path);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            policy.Should().NotContain("unsafe-inline", path).And.Contain("script-src 'self'", path).And.Contain("style-src 'self'", path);
            var page = await response.Content.ReadAsStringAsync();
            page.Should().NotContain("<style", path).And.NotContain(" style=\"", path).And.NotContain(" onsubmit=", path).And.NotContainAny(["<script>", "javascript:"]);
        }

        foreach (var (asset, type) in new[] { ("/admin/assets/dashboard.css", "text/css"), ("/admin/assets/dashboard.js", "text/javascript") })
        {
            using var response = await client.GetAsync(asset);
            response.StatusCode.Should().Be(HttpStatusCode.OK, asset);
            response.Content.Headers.ContentType!.MediaType.Should().Be(type, asset);
        }
    }

    [Fact]
    public async Task Dashboard_Pager_UrlEncodesTheFilterAndEncodesValuesInHtml()
    {
        using var client = app.CreateDashboardClient();
        const string actor = "<b>\"a&b\"";

        var page = await client.GetStringAsync("/admin/audit?actor=" + Uri.EscapeDataString(actor));

        page.Should().NotContain(actor).And.Contain("value=\"&lt;b&gt;&quot;a&amp;b&quot;\"");
    }

    [Fact]
    public async Task Dashboard_SourcesPage_NeverShowsASecret()
    {
        using var client = app.CreateDashboardClient();

        var page = await client.GetStringAsync("/admin/system");

        page.Should().NotContain(WebhooksApp.ShopifySecret).And.NotContain(WebhooksApp.OldShopifySecret).And.Contain("…" + WebhooksApp.ShopifySecret[^4..]);
    }

    [Fact]
    public async Task Dashboard_PostWithoutAntiforgeryToken_IsRefused_WithTheTokenPausesTheRelay()
    {
        using var client = app.CreateDashboardClient();

        using var forged = await client.PostAsync("/admin/relay/pause", new FormUrlEncodedContent([]));
        await forged.ProblemAsync(400);

        var page = await client.GetStringAsync("/admin");
        var token = DashboardForms.Token(page);
        token.Should().NotBeEmpty();
        using var paused = await client.PostAsync("/admin/relay/pause", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        paused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        paused.Headers.Location!.ToString().Should().Be("/admin");
        var again = await client.GetStringAsync("/admin");
        again.Should().Contain("Resume the relay");
        using var resumed = await client.PostAsync("/admin/relay/resume", new FormUrlEncodedContent([new("__RequestVerificationToken", DashboardForms.Token(again))]));
        resumed.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.GetStringAsync("/admin")).Should().Contain("Pause the relay");
    }

    [Fact]
    public async Task Logout_AnswersTheBasicChallenge_SoTheBrowserForgetsTheLogin()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/admin/logout");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Basic realm=\"Webhooks admin\"");
        (await response.Content.ReadAsStringAsync()).Should().Contain("logged out");
    }

    // The anti-forgery tag helper writes the hidden input as name, type, value.

}
