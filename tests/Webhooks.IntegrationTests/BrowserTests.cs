using System.Net.Http.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The service on a real loopback port, for a browser.</summary>
public sealed class BrowserApp : WebhooksApp
{
    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:AllowPrivateNetworks"] = "true",
        ["Webhooks:Delivery:AllowHttp"] = "true",
    };
}

/// <summary>
/// The dashboard driven by headless Chromium (Debian's chromium and chromium-driver) against the real service on
/// PostgreSQL and RabbitMQ: what an operator does, click by click. Each test saves a screenshot of the page it ends on
/// in WEBHOOKS_SCREENSHOTS (or the test output folder).
/// </summary>
public sealed class BrowserTests(BrowserApp app) : IClassFixture<BrowserApp>, IDisposable
{
    private readonly ChromeDriver browser = Browser.Start();

    [Fact]
    public async Task Operator_LogsIn_FindsADeadLetter_ReplaysIt_AndTheEventArrivesOnRabbitMq()
    {
        await using var events = await EventCollector.StartAsync();
        var source = "browser-" + Guid.NewGuid().ToString("N")[..6];
        var eventId = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1, "broker returned the event: NO_ROUTE"))[0];

        LogIn();
        browser.Navigate().GoToUrl(Url("/admin/dead-letters"));
        browser.FindElement(By.Name("source")).SendKeys(source);
        browser.FindElement(By.CssSelector("form.filter button")).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("source=" + source, StringComparison.Ordinal));
        browser.FindElement(By.LinkText(DeadLetterSeeds.EventType)).Click();
        browser.FindElement(By.TagName("main")).Text.Should().Contain("NO_ROUTE").And.Contain(eventId.ToString());
        Screenshot("dead-letter");

        ClickAndConfirm(By.XPath("//button[text()='Replay']"));

        // The replay is a background job (as from the API and the Hangfire page): the event arrives, then the letter says so.
        var arrived = await Eventually.GetAsync(() => events.Received.Where(e => e.MessageId == eventId.ToString()).ToList(), e => e.Count > 0);
        arrived.Should().ContainSingle("the replayed event keeps its id");
        browser.Navigate().Refresh();
        Shows(By.TagName("main"), "replayed");
    }

    [Fact]
    public async Task Operator_OpensTheHangfireDeadLettersPage_ReplaysOne_AndTheEventArrivesOnRabbitMq()
    {
        await using var events = await EventCollector.StartAsync();
        var source = "hangfire-" + Guid.NewGuid().ToString("N")[..6];
        var eventId = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1, "broker returned the event: NO_ROUTE"))[0];
        await DeadLetterSeeds.SeedAsync(app.Database, source, 3, "nack");
        var deadDeliveries = await DeliverySeeds.SeedDeadAsync(app.Database, "invoice.finalized", 2, "HTTP 503: partner down for maintenance");

        LogIn();
        browser.Navigate().GoToUrl(Url("/hangfire"));
        browser.FindElement(By.LinkText("Dead letters")).Click();
        browser.FindElement(By.Name("source")).SendKeys(source);
        browser.FindElement(By.XPath("//button[text()='Search']")).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("source=" + source, StringComparison.Ordinal));
        Shows(By.TagName("table"), "NO_ROUTE");
        Shows(By.TagName("body"), "Dead deliveries");
        Shows(By.TagName("body"), "partner down for maintenance");
        Screenshot("hangfire-dead-letters");

        // The dead delivery beside them is retried from the same page, under its message id.
        var deliveryRow = browser.FindElement(By.XPath("//tr[td[contains(., 'partner down for maintenance')]]"));
        deliveryRow.FindElement(By.XPath(".//button[text()='Retry']")).Click();
        await Eventually.GetAsync(
            () => app.Database.ScalarAsync<long>("SELECT count(*) FROM deliveries WHERE id = ANY ($1) AND attempts < 8", deadDeliveries.ToArray()),
            n => n == 1, because: "one of the two began a new series of attempts");

        var row = browser.FindElement(By.XPath("//tr[td[contains(., 'NO_ROUTE')]]"));
        row.FindElement(By.XPath(".//button[text()='Replay']")).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("/hangfire/jobs/details/", StringComparison.Ordinal));
        Shows(By.TagName("body"), "ReplayOneAsync");
        var arrived = await Eventually.GetAsync(() => events.Received.Where(e => e.MessageId == eventId.ToString()).ToList(), e => e.Count > 0);
        arrived.Should().ContainSingle("the replayed event keeps its id");
        browser.Navigate().Refresh();
        Shows(By.TagName("body"), "Succeeded");
        Screenshot("hangfire-replay-job");
    }

    [Fact]
    public async Task Operator_SeesAnOpenAlert_AndTheDaysTraffic_InTheHangfireDashboard_AndOnTheOverview()
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue)), signature: i < 7 ? "AAAA" : null));
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await Eventually.GetAsync(() => app.Database.ScalarAsync<long>("SELECT coalesce(sum(count), 0)::bigint FROM ingest_minutes WHERE source = 'shopify'"), n => n >= 20);
            await scope.ServiceProvider.GetRequiredService<Webhooks.Application.Admin.Alerts.AlertEvaluator>().EvaluateAsync(CancellationToken.None);
        }

        LogIn();
        browser.Navigate().GoToUrl(Url("/hangfire"));
        browser.FindElement(By.LinkText("Alerts")).Click();
        Shows(By.TagName("table"), "rejection_rate").Should().Contain("critical");
        Screenshot("hangfire-alerts");

        browser.FindElement(By.LinkText("Traffic")).Click();
        Shows(By.TagName("body"), "shopify");
        browser.FindElements(By.TagName("svg")).Should().NotBeEmpty("the charts are server-rendered SVG");
        Screenshot("hangfire-traffic");

        // The operators' dashboard draws the same day on its overview, with the relay and outbound delivery.
        browser.Navigate().GoToUrl(Url("/admin"));
        var charts = browser.FindElement(By.XPath("//h2[text()='Last 24 hours']"));
        Shows(By.TagName("main"), "Outbound delivery").Should().Contain("Publish time per batch").And.Contain("Outbox backlog");
        browser.FindElements(By.CssSelector("main svg.chart")).Count.Should().BeGreaterThanOrEqualTo(4, "per source, backlog, publish time and outbound success");
        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].scrollIntoView()", charts);
        Screenshot("overview-charts");
        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].scrollIntoView()", browser.FindElement(By.XPath("//h4[starts-with(., 'Publish time per batch')]")));
        Screenshot("overview-charts-relay-outbound");
    }

    [Fact]
    public async Task Operator_BulkReplaysByFilter_AndWatchesTheJobFinish()
    {
        await using var events = await EventCollector.StartAsync();
        var source = "bulk-" + Guid.NewGuid().ToString("N")[..6];
        var ids = (await DeadLetterSeeds.SeedAsync(app.Database, source, 40)).Select(id => id.ToString()).ToHashSet();
        await DeadLetterSeeds.SeedAsync(app.Database, source + "-other", 5);

        LogIn();
        browser.Navigate().GoToUrl(Url("/admin/dead-letters"));
        browser.FindElement(By.Name("source")).SendKeys(source);
        browser.FindElement(By.CssSelector("form.filter button")).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("source=" + source, StringComparison.Ordinal));
        browser.FindElements(By.XPath("//button[text()='Replay']")).Should().HaveCount(40);
        Screenshot("dead-letters");

        ClickAndConfirm(By.XPath("//button[text()='Replay all that match this filter']"));
        new WebDriverWait(browser, TimeSpan.FromSeconds(30)).Until(d => d.Url.Contains("/admin/jobs/", StringComparison.Ordinal) && d.FindElement(By.TagName("main")).Text.Contains("completed", StringComparison.Ordinal));
        browser.FindElement(By.TagName("main")).Text.Should().Contain("40 / 40");
        Screenshot("bulk-replay-job");

        var arrived = await Eventually.GetAsync(() => events.Received.Where(e => e.MessageId is not null && ids.Contains(e.MessageId)).ToList(), e => e.Count >= 40);
        arrived.Should().HaveCount(40).And.OnlyHaveUniqueItems(e => e.MessageId);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM dead_letters WHERE source = $1 AND status = 'dead'", source + "-other"))
            .Should().Be(5, "the filter left the other source's dead letters alone");
    }

    [Fact]
    public async Task Operator_RotatesASecret_AndBothSecretsVerifyDuringTheOverlap()
    {
        const string first = "shpss_browser_first_0001";
        const string second = "shpss_browser_second_0002";
        var source = "rotate-" + Guid.NewGuid().ToString("N")[..6];
        using var admin = app.CreateAdminClient();
        admin.BaseAddress = app.Address;
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name = source, provider = "shopify", secrets = new[] { first } })).EnsureSuccessStatusCode();

        LogIn();
        browser.Navigate().GoToUrl(Url("/admin/system"));
        var row = browser.FindElement(By.XPath($"//tr[td[1][text()='{source}']]"));
        row.FindElement(By.Name("secret")).SendKeys(second);
        row.FindElement(By.Name("expire_previous_after_seconds")).SendKeys("3600");
        ClickAndConfirm(By.XPath($"//tr[td[1][text()='{source}']]//button[text()='Add secret']"));

        var text = browser.FindElement(By.XPath($"//tr[td[1][text()='{source}']]")).Text;
        text.Should().Contain("…0001").And.Contain("…0002").And.Contain("expires");
        browser.PageSource.Should().NotContain(second, "a secret is never shown once stored");
        Screenshot("sources");

        using var client = new HttpClient { BaseAddress = app.Address };
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), secret: first, source: source))).AcceptedAsync();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), secret: second, source: source))).AcceptedAsync();
    }

    [Fact]
    public async Task Operator_CreatesASubscription_SeesItsSecretOnce_TestSends_AndReadsTheLog()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = "ok-" + Guid.NewGuid().ToString("N")[..6];

        LogIn();
        browser.Navigate().GoToUrl(Url("/admin/subscriptions"));
        browser.FindElement(By.Name("url")).SendKeys(receiver.Url(endpoint));
        browser.FindElement(By.Name("events")).SendKeys("order.*, invoice.paid");
        browser.FindElement(By.Name("description")).SendKeys("partner CRM");
        browser.FindElement(By.XPath("//button[text()='Create']")).Click();
        var secret = browser.FindElement(By.TagName("pre")).Text.Split('\n').Last().Trim();
        secret.Should().StartWith("whsec_");

        browser.FindElement(By.LinkText("Back to the subscription")).Click();
        browser.PageSource.Should().NotContain(secret, "the secret is shown once");
        browser.FindElement(By.XPath("//button[text()='Send a test event']")).Click();
        Shows(By.TagName("h1"), "Test send succeeded");
        receiver.At(endpoint).Should().ContainSingle().Which.VerifiesWith(secret).Should().BeTrue();

        browser.FindElement(By.LinkText("Back to the subscription")).Click();
        Shows(By.TagName("main"), "webhook.test").Should().Contain("200");
        var description = browser.FindElement(By.CssSelector("input[name='description']"));
        description.Clear();
        description.SendKeys("partner CRM v2");
        browser.FindElement(By.XPath("//button[text()='Save']")).Click();
        Shows(By.TagName("main"), "partner CRM v2");
        ClickAndConfirm(By.XPath("//button[text()='Replay failed and missed deliveries since']"));
        Shows(By.TagName("h1"), "Replay queued");
        browser.FindElement(By.LinkText("Back to the subscription")).Click();
        Screenshot("subscription");
        browser.Navigate().GoToUrl(Url("/admin/subscriptions"));
        browser.FindElement(By.TagName("main")).Text.Should().Contain(endpoint).And.Contain("order.*, invoice.paid");
        Screenshot("subscriptions");
    }

    [Fact]
    public void Overview_ShowsDependenciesBacklogAndLatestActivity()
    {
        LogIn();
        var main = browser.FindElement(By.TagName("main")).Text;
        main.Should().Contain("Database").And.Contain("Broker").And.Contain("Backlog").And.Contain("Latest webhooks");
        Screenshot("overview");
        browser.Navigate().GoToUrl(Url("/admin/inbox"));
        Screenshot("inbox");
    }

    [Fact]
    public void Newcomer_OpensTheApiReference_AndSeesTheIngestionEndpoint()
    {
        browser.Navigate().GoToUrl(Url("/docs"));

        // Scalar renders the document client-side from /openapi/v1.json (the first sections only, the rest as one
        // scrolls); the text appears once it has loaded it.
        new WebDriverWait(browser, TimeSpan.FromSeconds(30)).Until(d => d.FindElement(By.TagName("body")).Text.Contains("/api/v1/webhooks/{source}", StringComparison.Ordinal));
        browser.FindElement(By.TagName("body")).Text.Should().Contain("Webhooks").And.Contain("DeadLetters").And.Contain("Subscriptions").And.Contain("Events");
        Screenshot("docs");
    }

    public void Dispose() => browser.Quit();

    /// <summary>HTTP Basic login (user admin, the admin key as password); the browser then keeps the credentials for the site.</summary>
    private void LogIn()
    {
        var address = new UriBuilder(app.Address) { UserName = "admin", Password = WebhooksApp.AdminKey, Path = "/admin" };
        browser.Navigate().GoToUrl(address.Uri);
        browser.FindElement(By.TagName("h1")).Text.Should().Contain("Overview");
    }

    private string Url(string path) => new Uri(app.Address, path).ToString();

    private string Shows(By element, string text) => browser.Shows(element, text);

    private void ClickAndConfirm(By button) => browser.ClickAndConfirm(button);

    private void Screenshot(string name) => browser.Screenshot(name);
}

internal static class Browser
{
    public static ChromeDriver Start()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Require("/usr/bin/chromedriver"))!, "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Require("/usr/bin/chromium") };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1366,900",
            $"--user-data-dir={Path.Combine(Path.GetTempPath(), "webhooks-chromium-" + Guid.NewGuid().ToString("N"))}");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().ImplicitWait = TimeSpan.FromSeconds(5);
        return driver;
    }

    /// <summary>The element's text once it contains <paramref name="text"/>, waiting out the page that is being replaced.</summary>
    public static string Shows(this ChromeDriver browser, By element, string text) =>
        new WebDriverWait(browser, TimeSpan.FromSeconds(10)).Until(d =>
        {
            try
            {
                var current = d.FindElement(element).Text;
                return current.Contains(text, StringComparison.Ordinal) ? current : null;
            }
            catch (StaleElementReferenceException)
            {
                return null;
            }
        });

    public static void ClickAndConfirm(this ChromeDriver browser, By button)
    {
        browser.FindElement(button).Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(5)).Until(d => { try { d.SwitchTo().Alert().Accept(); return true; } catch (NoAlertPresentException) { return false; } });
    }

    /// <summary>Saves the page as WEBHOOKS_SCREENSHOTS/<paramref name="name"/>.png (or in the test output folder).</summary>
    public static void Screenshot(this ChromeDriver browser, string name)
    {
        var folder = Environment.GetEnvironmentVariable("WEBHOOKS_SCREENSHOTS") is { Length: > 0 } configured ? configured : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        browser.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
    }

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build/test.sh installs Debian's chromium and chromium-driver.");
}
