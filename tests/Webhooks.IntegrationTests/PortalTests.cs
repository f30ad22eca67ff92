using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>A partner's browser on the portal: HTTPS, cookies kept, redirects not followed.</summary>
internal static class PortalBrowser
{
    public static async Task<string> CreateLinkAsync(this HttpClient admin, string application, bool readOnly = false, int expiresInSeconds = 3600) =>
        (await admin.CreateLinkWithIdAsync(application, readOnly, expiresInSeconds)).Url;

    public static async Task<(string Id, string Url)> CreateLinkWithIdAsync(this HttpClient admin, string application, bool readOnly = false, int expiresInSeconds = 3600)
    {
        using var response = await admin.PostAsJsonAsync($"/api/v1/applications/{application}/portal-links",
            new { read_only = readOnly, expires_in_seconds = expiresInSeconds });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var url = created.GetProperty("url").GetString()!;
        url.Should().MatchRegex("^/portal/[A-Za-z0-9_-]{43}$", "a link carries 256 random bits");
        return (created.GetProperty("id").GetString()!, url);
    }

    public static HttpClient Browser(this WebhooksApp app) => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    });

    /// <summary>A browser that opened <paramref name="link"/> (whose page sends it on to /portal).</summary>
    public static async Task<HttpClient> OpenAsync(this WebhooksApp app, string link)
    {
        var browser = app.Browser();
        using var opened = await browser.GetAsync(link);
        opened.StatusCode.Should().Be(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        (await opened.Content.ReadAsStringAsync()).Should().Contain("content=\"0;url=/portal\"");
        return browser;
    }

    /// <summary>Posts a portal form with the page's anti-forgery token, as the browser does.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string page, string action, params (string Name, string Value)[] fields)
    {
        var html = await browser.GetStringAsync(page);
        var token = DashboardForms.Token(html);
        token.Should().NotBeEmpty(page);
        return await browser.PostAsync(action, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
    }
}

/// <summary>
/// Contract v3, the partner portal: a link opens a session for one application, in a cookie sent only under /portal
/// (HttpOnly, SameSite=Strict, Secure over HTTPS); the session sees that application only, never /admin, /hangfire or
/// /api; expired links answer 410, unknown ones 401; revoking a link ends the sessions it opened; read-only links only
/// look; every page's CSP has no 'unsafe-inline'.
/// </summary>
public sealed class PortalTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private WebhookReceiver Receiver => app.Receiver!;

    [Fact]
    public async Task ALink_OpensASessionForItsApplicationOnly_InAStrictHttpOnlySecureCookieUnderPortal()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var (b, _) = await admin.CreateApplicationAsync();
        var urlOfA = Receiver.Url(DeliveryClient.Unique("portal-a-"));
        var urlOfB = Receiver.Url(DeliveryClient.Unique("portal-b-"));
        await CreateSubscriptionAsync(admin, a, urlOfA, "order.created");
        var subscriptionOfB = await CreateSubscriptionAsync(admin, b, urlOfB, "order.created");
        await PublishAsync(admin, b, "order.created", new { secret_of_b = "b-only" });
        var deliveryOfB = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{b}/deliveries?subscription_id={subscriptionOfB}")).GetProperty("items"),
            items => items.GetArrayLength() == 1);
        var link = await admin.CreateLinkAsync(a);

        using var browser = app.Browser();
        using var opened = await browser.GetAsync(link);

        // A page that sends the browser on (a same-site navigation, which carries the SameSite=Strict cookie even when
        // the link was opened from another site), not a 302.
        opened.StatusCode.Should().Be(HttpStatusCode.OK);
        (await opened.Content.ReadAsStringAsync()).Should().Contain("<meta http-equiv=\"refresh\" content=\"0;url=/portal\">");
        opened.Headers.CacheControl!.NoStore.Should().BeTrue();
        var cookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("webhooks_portal=", StringComparison.Ordinal)).ToLowerInvariant();
        cookie.Should().Contain("path=/portal").And.Contain("httponly").And.Contain("samesite=strict").And.Contain("secure");
        var home = await browser.GetStringAsync("/portal");
        home.Should().Contain(urlOfA).And.NotContain(urlOfB);

        using var otherSubscription = await browser.GetAsync($"/portal/subscriptions/{subscriptionOfB}");
        otherSubscription.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await otherSubscription.Content.ReadAsStringAsync()).Should().NotContain(urlOfB);
        using var otherDelivery = await browser.GetAsync($"/portal/deliveries/{deliveryOfB[0].GetProperty("id").GetString()}");
        otherDelivery.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await otherDelivery.Content.ReadAsStringAsync()).Should().NotContain("b-only");
        (await browser.GetStringAsync("/portal/deliveries")).Should().NotContain(deliveryOfB[0].GetProperty("id").GetString());
        (await browser.GetStringAsync("/portal/event-types")).Should().NotContain("secret_of_b");
    }

    /// <summary>The session's cookie, presented by hand anywhere outside /portal, is no credential at all.</summary>
    [Fact]
    public async Task APortalSession_NeverReachesAdminHangfireOrTheApi()
    {
        using var admin = app.CreateAdminClient();
        var (a, uid) = await admin.CreateApplicationAsync();
        using var browser = app.Browser();
        using var opened = await browser.GetAsync(await admin.CreateLinkAsync(a));
        var cookie = opened.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("webhooks_portal=", StringComparison.Ordinal)).Split(';')[0];
        using var stranger = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        foreach (var path in new[]
        {
            "/admin", "/admin/subscriptions", "/hangfire", "/api/v1/subscriptions", "/api/v1/deliveries", "/api/v1/admin/inbox",
            $"/api/v1/applications/{a}", $"/api/v1/applications/{uid}/subscriptions", $"/api/v1/applications/{a}/deliveries",
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", cookie);
            using var answer = await stranger.SendAsync(request);
            answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
        }

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/portal");
        withCookie.Headers.Add("Cookie", cookie);
        (await stranger.SendAsync(withCookie)).StatusCode.Should().Be(HttpStatusCode.OK, "the same cookie does open the portal");
    }

    [Fact]
    public async Task AnExpiredLinkAnswers410_AnUnknownOne401_AndRevokingALinkEndsTheSessionsItOpened()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var shortLived = await admin.CreateLinkAsync(a, expiresInSeconds: 2);
        var (revokedId, revoked) = await admin.CreateLinkWithIdAsync(a);
        var kept = await admin.CreateLinkAsync(a);
        using var shortSession = await app.OpenAsync(shortLived);
        using var keptSession = await app.OpenAsync(kept);
        using var revokedSession = await app.OpenAsync(revoked);
        (await revokedSession.GetAsync("/portal")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await shortSession.GetAsync("/portal")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await admin.DeleteAsync($"/api/v1/applications/{a}/portal-links/{revokedId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await revokedSession.GetAsync("/portal")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "revoking a link ends the sessions it opened");
        (await app.Browser().GetAsync(revoked)).StatusCode.Should().Be(HttpStatusCode.Gone);
        (await keptSession.GetAsync("/portal")).StatusCode.Should().Be(HttpStatusCode.OK, "other links' sessions go on");

        await Eventually.GetAsync(async () => (await app.Browser().GetAsync(shortLived)).StatusCode, status => status == HttpStatusCode.Gone,
            TimeSpan.FromSeconds(10), "the link expires after its 2 seconds");
        (await shortSession.GetAsync("/portal")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a session lasts no longer than its link");
        (await app.Browser().GetAsync("/portal/" + new string('A', 43))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Browser().GetAsync("/portal")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AReadOnlyLink_ShowsEverything_AndChangesNothing()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var url = Receiver.Url(DeliveryClient.Unique("portal-ro-"));
        var subscription = await CreateSubscriptionAsync(admin, a, url, "order.created");
        using var browser = await app.OpenAsync(await admin.CreateLinkAsync(a, readOnly: true));

        var home = await browser.GetStringAsync("/portal");
        home.Should().Contain(url).And.Contain("read-only").And.NotContain("Add an endpoint");
        (await browser.GetStringAsync($"/portal/subscriptions/{subscription}")).Should().NotContain("Rotate the secret");

        using var create = await browser.PostFormAsync("/portal", "/portal/subscriptions", ("url", Receiver.Url("ro-new")), ("events", "order.created"));
        using var disable = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}/disable");
        using var rotate = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}/rotate");

        create.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        disable.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        rotate.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await rotate.Content.ReadAsStringAsync()).Should().NotContain("whsec_");
        var subscriptions = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/subscriptions");
        subscriptions.GetProperty("items").GetArrayLength().Should().Be(1);
        subscriptions.GetProperty("items")[0].GetProperty("is_active").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task EveryPortalPage_SendsAPolicyWithoutUnsafeInline_AndServesItsStylesAndScriptUnderPortal()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var subscription = await CreateSubscriptionAsync(admin, a, Receiver.Url(DeliveryClient.Unique("portal-csp-")), "order.created");
        await PublishAsync(admin, a, "order.created", new { amount = 1 });
        var delivery = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/deliveries?subscription_id={subscription}")).GetProperty("items"),
            items => items.GetArrayLength() == 1);
        using var browser = await app.OpenAsync(await admin.CreateLinkAsync(a));

        foreach (var path in new[] { "/portal", $"/portal/subscriptions/{subscription}", "/portal/deliveries", $"/portal/deliveries/{delivery[0].GetProperty("id").GetString()}", "/portal/event-types" })
        {
            using var response = await browser.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            policy.Should().NotContain("unsafe-inline", path).And.Contain("script-src 'self'", path).And.Contain("frame-ancestors 'none'", path);
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
            response.Headers.CacheControl!.NoStore.Should().BeTrue(path);
            var page = await response.Content.ReadAsStringAsync();
            page.Should().NotContain("<script>", path).And.NotContain("style=", path).And.NotContain("onclick", path);
        }

        foreach (var asset in new[] { "/portal/assets/dashboard.css", "/portal/assets/dashboard.js" })
        {
            (await browser.GetAsync(asset)).StatusCode.Should().Be(HttpStatusCode.OK, asset);
        }
    }

    /// <summary>
    /// What a partner does in the portal, end to end: add an endpoint with a filter (its secret shown once), see only
    /// the events the filter lets through, find the failed delivery by event type and status with its request,
    /// response and attempts, send it again, try another filter on recent events, edit, send a test event, rotate the
    /// secret, disable the endpoint, retry all failed, read the event catalog.
    /// </summary>
    [Fact]
    public async Task APartner_ManagesItsEndpointsAndDeliveries_FromThePortal()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        using var browser = await app.OpenAsync(await admin.CreateLinkAsync(a));
        var endpoint = DeliveryClient.Unique("fail-8-portal-");

        using var created = await browser.PostFormAsync("/portal", "/portal/subscriptions",
            ("url", Receiver.Url(endpoint)), ("events", "order.created"), ("filter", "{\"data.amount\": {\"$gte\": 100}}"));
        created.StatusCode.Should().Be(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        var createdPage = await created.Content.ReadAsStringAsync();
        createdPage.Should().Contain("Signing secret").And.Contain("whsec_");
        var firstSecret = System.Text.RegularExpressions.Regex.Match(createdPage, "whsec_[A-Za-z0-9+/=]+").Value;
        var subscription = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/subscriptions")).GetProperty("items")[0].GetProperty("id").GetString();
        (await browser.GetStringAsync($"/portal/subscriptions/{subscription}")).Should().NotContain(firstSecret, "a secret is shown once");

        var small = await PublishAsync(admin, a, "order.created", new { amount = 50 });
        var large = await PublishAsync(admin, a, "order.created", new { amount = 150 });
        var dead = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/deliveries?subscription_id={subscription}&status=dead")).GetProperty("items"),
            items => items.GetArrayLength() == 1);
        var deliveryId = dead[0].GetProperty("id").GetString()!;
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/deliveries?subscription_id={subscription}")).GetProperty("items")
            .GetArrayLength().Should().Be(1, "the filter let the 150 through and not the 50");

        (await browser.GetStringAsync("/portal/deliveries?event=order.created&status=dead")).Should().Contain(deliveryId);
        (await browser.GetStringAsync("/portal/deliveries?event=order.paid")).Should().NotContain(deliveryId);
        (await browser.GetStringAsync("/portal/deliveries?status=delivered")).Should().NotContain(deliveryId);
        var detail = await browser.GetStringAsync($"/portal/deliveries/{deliveryId}");
        detail.Should().Contain("150").And.Contain("upstream exploded").And.Contain(large);
        System.Text.RegularExpressions.Regex.Count(detail, "upstream exploded").Should().Be(8, "each of the eight attempts (a subscription's default seven retries) is listed with its response");

        using var retried = await browser.PostFormAsync($"/portal/deliveries/{deliveryId}", $"/portal/deliveries/{deliveryId}/retry");
        retried.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await Eventually.GetAsync(async () => await browser.GetStringAsync($"/portal/deliveries/{deliveryId}"), page => page.Contains(">delivered<", StringComparison.Ordinal));
        Receiver.At(endpoint).Should().HaveCount(9);

        using var dryRun = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}/filter/test",
            ("filter", "{\"data.amount\": {\"$lt\": 100}}"));
        var dryRunPage = await dryRun.Content.ReadAsStringAsync();
        dryRunPage.Should().Contain("1 would be sent").And.Contain(small).And.NotContain("<code>" + large + "</code>");
        Receiver.At(endpoint).Should().HaveCount(9, "a dry run sends nothing");

        using var invalid = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}",
            ("url", Receiver.Url(endpoint)), ("events", "order.created"), ("filter", "{\"data.amount\": {\"$near\": 1}}"));
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await invalid.Content.ReadAsStringAsync()).Should().Contain("$near");

        using var edited = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}",
            ("url", Receiver.Url(endpoint)), ("events", "order.created, order.paid"), ("filter", ""));
        edited.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var view = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/subscriptions/{subscription}");
        view.GetProperty("events").EnumerateArray().Select(e => e.GetString()).Should().Equal("order.created", "order.paid");
        view.TryGetProperty("filter", out var filter).Should().BeTrue();
        filter.ValueKind.Should().BeOneOf(JsonValueKind.Null, JsonValueKind.Undefined);

        using var test = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}/test");
        (await test.Content.ReadAsStringAsync()).Should().Contain("Test event sent: 200");
        Receiver.At(endpoint).Should().HaveCount(10);

        using var rotated = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}/rotate");
        var rotatedSecret = System.Text.RegularExpressions.Regex.Match(await rotated.Content.ReadAsStringAsync(), "whsec_[A-Za-z0-9+/=]+").Value;
        rotatedSecret.Should().NotBeEmpty().And.NotBe(firstSecret);

        using var disabled = await browser.PostFormAsync($"/portal/subscriptions/{subscription}", $"/portal/subscriptions/{subscription}/disable");
        disabled.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{a}/subscriptions/{subscription}")).GetProperty("is_active").GetBoolean().Should().BeFalse();

        var types = await browser.GetStringAsync("/portal/event-types");
        types.Should().Contain("order.created").And.Contain("amount").And.Contain("integer");
    }

    /// <summary>An event nested past what a schema describes (its members deeper than 12 levels are not listed) still has its page.</summary>
    [Fact]
    public async Task TheEventCatalog_DescribesADeeplyNestedEvent()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var nested = new System.Text.Json.Nodes.JsonObject { ["leaf"] = 1 };
        for (var i = 0; i < 40; i++)
        {
            nested = new System.Text.Json.Nodes.JsonObject { ["level" + i] = nested };
        }

        using var content = new StringContent($$"""{"type": "tree.grown", "data": {{nested.ToJsonString()}}}""", System.Text.Encoding.UTF8, "application/json");
        (await admin.PostAsync($"/api/v1/applications/{a}/events", content)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        using var browser = await app.OpenAsync(await admin.CreateLinkAsync(a));

        using var page = await browser.GetAsync("/portal/event-types");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("tree.grown").And.Contain("level39");
    }

    [Fact]
    public async Task RetryAllFailed_SendsEveryDeadDeliveryOfTheApplicationAgain_AndNoOtherApplications()
    {
        using var admin = app.CreateAdminClient();
        var (a, _) = await admin.CreateApplicationAsync();
        var (b, _) = await admin.CreateApplicationAsync();
        var endpointOfA = DeliveryClient.Unique("fail-1-all-a-");
        var endpointOfB = DeliveryClient.Unique("fail-1-all-b-");
        var subscriptionOfA = await CreateSubscriptionAsync(admin, a, Receiver.Url(endpointOfA), 0, "invoice.paid");
        var subscriptionOfB = await CreateSubscriptionAsync(admin, b, Receiver.Url(endpointOfB), 0, "invoice.paid");
        await PublishAsync(admin, a, "invoice.paid", new { n = 1 });
        await PublishAsync(admin, b, "invoice.paid", new { n = 2 });
        foreach (var (app_, subscription) in new[] { (a, subscriptionOfA), (b, subscriptionOfB) })
        {
            await Eventually.GetAsync(
                async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{app_}/deliveries?subscription_id={subscription}&status=dead")).GetProperty("items"),
                items => items.GetArrayLength() == 1);
        }

        using var browser = await app.OpenAsync(await admin.CreateLinkAsync(a));
        using var all = await browser.PostFormAsync("/portal/deliveries", "/portal/deliveries/retry");

        (await all.Content.ReadAsStringAsync()).Should().Contain("1 failed deliveries are being sent again");
        await Eventually.GetAsync(() => Task.FromResult(Receiver.At(endpointOfA).Count), n => n == 2);
        // The job queues what it retries in one pass over the application's dead deliveries: had it taken B's, that one
        // would no longer be dead by the time A's was sent again.
        var ofB = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{b}/deliveries?subscription_id={subscriptionOfB}")).GetProperty("items");
        ofB[0].GetProperty("status").GetString().Should().Be("dead", "another application's failed deliveries stay as they are");
        Receiver.At(endpointOfB).Should().HaveCount(1);
    }

    private static Task<string> CreateSubscriptionAsync(HttpClient client, string application, string url, params string[] events) =>
        CreateSubscriptionAsync(client, application, url, Webhooks.Domain.Delivery.Subscription.DefaultRetryCount, events);

    private static async Task<string> CreateSubscriptionAsync(HttpClient client, string application, string url, int retries, params string[] events)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/applications/{application}/subscriptions", new { url, events, retry_count = retries });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> PublishAsync(HttpClient client, string application, string type, object data)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/applications/{application}/events", new { type, data });
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
