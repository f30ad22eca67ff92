using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Providers.Shopify;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// The real API (Program) on its own fresh database and the shared test RabbitMQ, with the sources the tests sign for.
/// One per test class.
/// </summary>
public class WebhooksApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ShopifySecret = "shpss_integration_secret";
    public const string OldShopifySecret = "shpss_previous_secret";
    public const string AdminKey = "test-admin-key-0123456789-abcdefghijklmnop";
    public const string ReadOnlyKey = "read-only-key-for-tests-0123456789abcdef";

    /// <summary>A named read-only key ("auditor"), for the test classes that need one.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ReadOnlyKeySettings = new Dictionary<string, string?>
    {
        ["Webhooks:Admin:Keys:auditor:Key"] = ReadOnlyKey,
        ["Webhooks:Admin:Keys:auditor:Role"] = "read-only",
    };

    private readonly string instance = Guid.NewGuid().ToString("N")[..12];
    private TestDatabase? database;

    internal TestDatabase Database => database ?? throw new InvalidOperationException("Not started.");

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>
    /// A browser's login on the dashboards (/admin, /hangfire): HTTP Basic, user admin, <paramref name="key"/> as the
    /// password; redirects are not followed, cookies (the anti-forgery one) are kept.
    /// </summary>
    public HttpClient CreateDashboardClient(string key = AdminKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + key)));
        return client;
    }

    /// <summary>Serve on a real loopback port (for a browser) instead of the in-memory test server.</summary>
    protected virtual bool OnKestrel => false;

    /// <summary>The loopback address the service listens on when <see cref="OnKestrel"/>.</summary>
    public Uri Address => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Settings a test class adds or overrides.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    internal IReadOnlyDictionary<string, string?> SettingsForAnotherInstance => Settings;

    public virtual async Task InitializeAsync() => await StartOn(await TestDatabase.CreateAsync());

    /// <summary>Starts on an existing database (a restarted service finds its data where it left it).</summary>
    private protected Task StartOn(TestDatabase existing)
    {
        database = existing;
        if (OnKestrel)
        {
            UseKestrel(0);
            StartServer(); // a real socket on loopback, for a browser
        }
        else
        {
            _ = Server; // start the host now, so a failing start-up fails here with its reason
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the service but keeps its database, for a second instance to start on.</summary>
    internal async Task DisposeForRestartAsync()
    {
        var kept = database;
        database = null;
        await DisposeAsync();
        database = kept;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Webhooks"] = Database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = TestServices.RabbitMq,
            ["Webhooks:Sources:shopify:Provider"] = "shopify",
            ["Webhooks:Sources:shopify:Secrets:0"] = OldShopifySecret,
            ["Webhooks:Sources:shopify:Secrets:1"] = ShopifySecret,
            ["Webhooks:Sources:tiny:Provider"] = "shopify",
            ["Webhooks:Sources:tiny:Secrets:0"] = ShopifySecret,
            ["Webhooks:Sources:tiny:MaxBodyBytes"] = "1024",
            ["Webhooks:Sources:disabled:Provider"] = "shopify",
            ["Webhooks:Sources:disabled:Secrets:0"] = ShopifySecret,
            ["Webhooks:Sources:disabled:Enabled"] = "false",
            ["Webhooks:Admin:ApiKey"] = AdminKey,
            ["Webhooks:Relay:InitialDelay"] = "00:00:00.050",
            ["Webhooks:Relay:MaxDelay"] = "00:00:00.500",

            // Each test service takes outbound events from a queue of its own, gone when it stops.
            ["Webhooks:Delivery:IntakeQueue"] = $"test.delivery.outbound.{instance}",
            ["Webhooks:Delivery:InboundQueue"] = $"test.delivery.inbound.{instance}",
            ["Webhooks:Delivery:DurableQueues"] = "false",
            ["Webhooks:Delivery:ConsumeInboundEvents"] = "false",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The service with a named read-only key besides the admin key.</summary>
public sealed class ReadOnlyKeyApp : WebhooksApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => ReadOnlyKeySettings;
}

/// <summary>Another instance of the service on an existing database: a restart, or a second instance beside the first.</summary>
internal sealed class InstanceOn(TestDatabase database, WebhooksApp? likeThis = null) : WebhooksApp
{
    /// <summary>With <c>likeThis</c>, the same settings as that instance (its exchange, windows…).</summary>
    protected override IReadOnlyDictionary<string, string?> Settings => likeThis?.SettingsForAnotherInstance ?? base.Settings;

    public override Task InitializeAsync() => StartOn(database);
}

/// <summary>Signed Shopify deliveries, as Shopify sends them.</summary>
internal static class Shopify
{
    /// <summary>What one stored order publishes: evt.webhook.received, evt.webhook.order.created and evt.webhook.processed.</summary>
    public const int EventsPerOrder = 3;

    public static string OrderBody(long orderId) =>
        $$"""{"id":{{orderId}},"order_number":1001,"name":"#1001","total_price":"199.00","currency":"USD","financial_status":"paid","fulfillment_status":null,"customer":{"id":115310627314723954},"line_items":[{"product_id":632910392,"variant_id":808950810,"quantity":1,"price":"199.00"}]}""";

    public static HttpRequestMessage Delivery(string body, string topic = "orders/create", string? eventId = null, string secret = WebhooksApp.ShopifySecret, string source = "shopify", string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/{source}")
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", "acme.myshopify.com");
        request.Headers.Add("X-Shopify-Event-Id", eventId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? ShopifySignature.Sign(bytes, secret));
        return request;
    }
}
