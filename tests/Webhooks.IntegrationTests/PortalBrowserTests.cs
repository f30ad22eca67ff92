using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>
/// The partner portal driven by headless Chromium against the real service: what a partner does with the link an
/// operator sent, click by click. Screenshots: docs/screenshots/portal-*.png.
/// </summary>
public sealed class PortalBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>, IDisposable
{
    private readonly ChromeDriver browser = Browser.Start();

    [Fact]
    public async Task Partner_OpensItsLink_TriesAFilter_SendsATest_FindsAFailedDelivery_AndSendsItAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = app.CreateAdminClient();
        admin.BaseAddress = app.Address;
        var (application, _) = await admin.CreateApplicationAsync("acme-" + Guid.NewGuid().ToString("N")[..6]);
        var failing = "fail-1-" + Guid.NewGuid().ToString("N")[..6];
        var healthy = "ok-" + Guid.NewGuid().ToString("N")[..6];
        var other = (await admin.CreateApplicationAsync()).Id;
        await SubscribeAsync(admin, other, receiver.Url("other-" + Guid.NewGuid().ToString("N")[..6]));
        await SubscribeAsync(admin, application, receiver.Url(failing), retries: 0);
        var subscription = await SubscribeAsync(admin, application, receiver.Url(healthy));
        foreach (var amount in new[] { 40, 120, 900 })
        {
            (await admin.PostAsJsonAsync($"/api/v1/applications/{application}/events", new { type = "order.created", data = new { order_id = 1000 + amount, amount, currency = "EUR" } }))
                .EnsureSuccessStatusCode();
        }

        await Eventually.GetAsync(() => Task.FromResult(receiver.At(healthy).Count + receiver.At(failing).Count), n => n == 6);
        var link = await admin.CreateLinkAsync(application);

        // The partner clicks the link on another site (a mail or chat page: here the same server under another host
        // name, localhost, which is another site than 127.0.0.1), so the portal opens from a cross-site navigation.
        browser.Navigate().GoToUrl(new UriBuilder(app.Address) { Host = "localhost", Path = "/api/v1/health/live" }.Uri);
        ((IJavaScriptExecutor)browser).ExecuteScript(
            "const a = document.createElement('a'); a.href = arguments[0]; a.textContent = 'Open your portal'; document.body.appendChild(a); a.click();",
            new Uri(app.Address, link).ToString());

        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d => new Uri(d.Url).AbsolutePath == "/portal");
        var home = browser.Shows(By.TagName("main"), receiver.Url(healthy));
        home.Should().Contain(receiver.Url(failing)).And.NotContain("other-", "another application's endpoints are not shown");
        browser.Screenshot("portal-endpoints");

        browser.FindElement(By.LinkText(receiver.Url(healthy))).Click();
        var filter = browser.FindElement(By.CssSelector("form[action$='/filter/test'] input[name='filter']"));
        filter.Clear();
        filter.SendKeys("{\"data.amount\": {\"$gte\": 100}, \"data.currency\": \"EUR\"}");
        browser.FindElement(By.XPath("//button[text()='Dry run']")).Click();
        browser.Shows(By.TagName("main"), "Of the last 3 events, 2 would be sent");
        browser.Screenshot("portal-filter");

        browser.FindElement(By.XPath("//button[text()='Send a test event']")).Click();
        browser.Shows(By.TagName("main"), "Test event sent: 200");
        receiver.At(healthy).Should().HaveCount(4);

        browser.FindElement(By.LinkText("Deliveries")).Click();
        browser.FindElement(By.CssSelector("select[name='status'] option[value='dead']")).Click();
        browser.FindElement(By.Name("event")).SendKeys("order.created");
        browser.FindElement(By.XPath("//button[text()='Search']")).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("status=dead", StringComparison.Ordinal));
        browser.FindElements(By.XPath("//td[text()='dead']")).Should().HaveCount(1, "the failing endpoint refused its first delivery (no retries), and only that one is dead");
        browser.FindElements(By.XPath("//td[text()='delivered']")).Should().BeEmpty();
        browser.Screenshot("portal-deliveries");

        browser.FindElement(By.CssSelector("table a")).Click();
        browser.Shows(By.TagName("main"), "upstream exploded").Should().Contain("Attempts").And.Contain("order_id");
        browser.Screenshot("portal-delivery");
        browser.FindElement(By.XPath("//button[text()='Send again']")).Click();
        await Eventually.GetAsync(() => Task.FromResult(receiver.At(failing).Count), n => n == 4, because: "the failing endpoint answers 200 from its second request on");
        browser.Navigate().Refresh();
        browser.Shows(By.TagName("table"), "delivered");

        browser.FindElement(By.LinkText("Event types")).Click();
        browser.Shows(By.TagName("main"), "order.created").Should().Contain("\"currency\"").And.Contain("\"integer\"");
        browser.Screenshot("portal-event-types");

        browser.FindElement(By.XPath("//button[text()='Sign out']")).Click();
        browser.Shows(By.TagName("h1"), "Signed out");
        browser.Navigate().GoToUrl(new Uri(app.Address, $"/portal/subscriptions/{subscription}"));
        browser.FindElement(By.TagName("body")).Text.Should().Contain("session has ended");
    }

    public void Dispose() => browser.Quit();

    private static async Task<string> SubscribeAsync(HttpClient admin, string application, string url, int retries = 7)
    {
        using var response = await admin.PostAsJsonAsync($"/api/v1/applications/{application}/subscriptions", new { url, events = new[] { "order.*" }, retry_count = retries });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
