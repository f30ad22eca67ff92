using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Sources managed at run time through the admin API, shared by every instance, secrets encrypted at rest.</summary>
public sealed class SourcesTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    private const string FirstSecret = "shpss_first_secret_abcd1234";
    private const string SecondSecret = "shpss_second_secret_wxyz9876";

    [Fact]
    public async Task Source_CreatedDisabledEnabledDeleted_TakesEffectOnTheNextDelivery()
    {
        using var admin = app.CreateAdminClient();
        using var client = app.CreateClient();
        var name = Unique("crud");

        var created = await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { FirstSecret }, max_body_bytes = 4096 });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        created.Headers.Location!.ToString().Should().EndWith($"/api/v1/admin/sources/{name}");
        var text = await created.Content.ReadAsStringAsync();
        text.Should().NotContain(FirstSecret).And.NotContain("shpss_first");
        var view = JsonDocument.Parse(text).RootElement;
        view.GetProperty("origin").GetString().Should().Be("api");
        view.GetProperty("max_body_bytes").GetInt64().Should().Be(4096);
        view.GetProperty("secrets").EnumerateArray().Should().ContainSingle().Which.GetProperty("hint").GetString().Should().Be("…1234");

        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), secret: FirstSecret, source: name))).AcceptedAsync();

        (await admin.PutAsJsonAsync($"/api/v1/admin/sources/{name}", new { enabled = false })).EnsureSuccessStatusCode();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), secret: FirstSecret, source: name))).ProblemAsync(404);

        var enabled = await (await admin.PutAsJsonAsync($"/api/v1/admin/sources/{name}", new { enabled = true })).Content.ReadFromJsonAsync<JsonElement>();
        enabled.GetProperty("enabled").GetBoolean().Should().BeTrue();
        enabled.GetProperty("max_body_bytes").GetInt64().Should().Be(4096, "a PUT changes only the fields it sets");
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(3), secret: FirstSecret, source: name))).AcceptedAsync();

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/sources");
        list.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Contain([name, "shopify"]);
        list.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "shopify")
            .GetProperty("origin").GetString().Should().Be("configuration", "configured sources are seeded at start-up");

        (await admin.DeleteAsync($"/api/v1/admin/sources/{name}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(4), secret: FirstSecret, source: name))).ProblemAsync(404);
        await (await admin.GetAsync($"/api/v1/admin/sources/{name}")).ProblemAsync(404);
        await (await admin.DeleteAsync($"/api/v1/admin/sources/{name}")).ProblemAsync(404);
    }

    [Fact]
    public async Task Secret_IsStoredEncrypted_AndNeverReturned()
    {
        using var admin = app.CreateAdminClient();
        var name = Unique("rest");
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { FirstSecret } })).EnsureSuccessStatusCode();

        var stored = await app.Database.ScalarAsync<string>("SELECT protected FROM source_secrets WHERE source_name = $1", name);
        stored.Should().NotContain(FirstSecret).And.NotContain("abcd1234");
        (await app.Database.ScalarAsync<string>("SELECT settings::text FROM sources WHERE name = $1", name)).Should().NotContain(FirstSecret);
        (await admin.GetStringAsync($"/api/v1/admin/sources/{name}")).Should().NotContain(FirstSecret);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys")).Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("""{"name":"bad-provider","provider":"shopifyy","secrets":["s"]}""", "Provider")]
    [InlineData("""{"name":"no-secrets","provider":"shopify"}""", "Secrets")]
    [InlineData("""{"name":"Upper_Case","provider":"shopify","secrets":["s"]}""", "[a-z0-9-]+")]
    [InlineData("""{"provider":"shopify","secrets":["s"]}""", "name is required")]
    [InlineData("""{"name":"sw","provider":"standard-webhooks","secrets":["not-whsec"]}""", "whsec_")]
    public async Task Create_Invalid_Answers400NamingTheField(string body, string named)
    {
        using var admin = app.CreateAdminClient();
        var problem = await (await admin.PostAsync("/api/v1/admin/sources", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).ProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain(named);
    }

    [Fact]
    public async Task Create_ExistingName_Answers409()
    {
        using var admin = app.CreateAdminClient();
        await (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name = "shopify", provider = "shopify", secrets = new[] { FirstSecret } })).ProblemAsync(409);
    }

    [Fact]
    public async Task Rotation_OldAndNewSecretBothAccepted_UntilTheOldOneExpires()
    {
        using var admin = app.CreateAdminClient();
        using var client = app.CreateClient();
        var name = Unique("rotate");
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { FirstSecret } })).EnsureSuccessStatusCode();

        var rotated = await admin.PostAsJsonAsync($"/api/v1/admin/sources/{name}/secrets", new { secret = SecondSecret, expire_previous_after_seconds = 3 });
        rotated.StatusCode.Should().Be(HttpStatusCode.Created, await rotated.Content.ReadAsStringAsync());
        var secrets = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secrets").EnumerateArray().ToList();
        secrets.Should().HaveCount(2);
        secrets[0].GetProperty("expires_at").ValueKind.Should().Be(JsonValueKind.String, "the old secret now has an expiry");
        secrets[1].GetProperty("expires_at").ValueKind.Should().Be(JsonValueKind.Null);

        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), secret: FirstSecret, source: name))).AcceptedAsync();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), secret: SecondSecret, source: name))).AcceptedAsync();

        var status = await Eventually.GetAsync(
            async () => (int)(await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(3), secret: FirstSecret, source: name))).StatusCode,
            code => code == 401, TimeSpan.FromSeconds(15));
        status.Should().Be(401, "the old secret expired");
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(4), secret: SecondSecret, source: name))).AcceptedAsync();
    }

    [Fact]
    public async Task RemoveSecret_TheLastOne_IsRefused_OthersRemoved()
    {
        using var admin = app.CreateAdminClient();
        using var client = app.CreateClient();
        var name = Unique("remove");
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { FirstSecret } })).EnsureSuccessStatusCode();
        var view = await (await admin.PostAsJsonAsync($"/api/v1/admin/sources/{name}/secrets", new { secret = SecondSecret })).Content.ReadFromJsonAsync<JsonElement>();
        var ids = view.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();

        (await admin.DeleteAsync($"/api/v1/admin/sources/{name}/secrets/{ids[0]}")).EnsureSuccessStatusCode();
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), secret: FirstSecret, source: name))).ProblemAsync(401);
        await (await admin.DeleteAsync($"/api/v1/admin/sources/{name}/secrets/{ids[1]}")).ProblemAsync(409);
        await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), secret: SecondSecret, source: name))).AcceptedAsync();
    }

    [Fact]
    public async Task Change_OnOneInstance_IsSeenByAnotherWithinSeconds_AndSurvivesItsRestart()
    {
        using var admin = app.CreateAdminClient();
        var name = Unique("shared");
        await using var other = new InstanceOn(app.Database);
        await other.InitializeAsync();
        using var otherClient = other.CreateClient();

        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { FirstSecret } })).EnsureSuccessStatusCode();
        var status = await Eventually.GetAsync(
            async () => (int)(await otherClient.SendAsync(Shopify.Delivery(Shopify.OrderBody(1), secret: FirstSecret, source: name))).StatusCode,
            code => code == 200, TimeSpan.FromSeconds(10));
        status.Should().Be(200, "the other instance decrypts the secret with the shared key ring");

        (await admin.PutAsJsonAsync("/api/v1/admin/sources/tiny", new { enabled = false })).EnsureSuccessStatusCode();
        await other.DisposeForRestartAsync();

        // A restart with the same configuration re-seeds nothing: the API's change to a configured source stands.
        await using var restarted = new InstanceOn(app.Database);
        await restarted.InitializeAsync();
        using var restartedClient = restarted.CreateClient();
        await (await restartedClient.SendAsync(Shopify.Delivery(Shopify.OrderBody(2), source: "tiny"))).ProblemAsync(404);
        await restarted.DisposeForRestartAsync();
        (await admin.PutAsJsonAsync("/api/v1/admin/sources/tiny", new { enabled = true })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Update_ProviderWithoutNewSecrets_Answers400()
    {
        using var admin = app.CreateAdminClient();
        var name = Unique("switch");
        (await admin.PostAsJsonAsync("/api/v1/admin/sources", new { name, provider = "shopify", secrets = new[] { FirstSecret } })).EnsureSuccessStatusCode();
        var problem = await (await admin.PutAsJsonAsync($"/api/v1/admin/sources/{name}", new { provider = "github" })).ProblemAsync(400);
        problem.GetProperty("detail").GetString().Should().Contain("new secrets");
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
