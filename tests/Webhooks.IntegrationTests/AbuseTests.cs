using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>The service on a real loopback port with a small failure budget, so tests can come from several addresses.</summary>
public sealed class ThrottledApp : WebhooksApp
{
    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(ReadOnlyKeySettings)
    {
        ["Webhooks:RateLimits:Failures:Burst"] = "5",
        ["Webhooks:RateLimits:Failures:PerMinute"] = "1",
    };

    /// <summary>A client whose connections come from <paramref name="from"/> (any 127.x address reaches the loopback listener).</summary>
    public HttpClient ClientFrom(string from) => LoopbackClients.From(from, Address);
}

/// <summary>Throttling by authenticity: failures are throttled per (client, source); verified deliveries never are.</summary>
public sealed class FailureThrottleTests(ThrottledApp app) : IClassFixture<ThrottledApp>
{
    [Fact]
    public async Task UnsignedFlood_IsAnswered429_WhileSignedDeliveriesFromTheSameAddressAreAccepted()
    {
        using var client = app.ClientFrom("127.0.0.21");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var forged = Shopify.Delivery(Shopify.OrderBody(9_000 + i), signature: "AAAA");
            using var answer = await client.SendAsync(forged);
            statuses.Add(answer.StatusCode);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                answer.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
                (await answer.ProblemAsync(429)).GetProperty("title").GetString().Should().Be("Too many failed deliveries");
            }
        }

        statuses.Take(5).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Unauthorized), "the first five failures are within the budget");
        statuses.Skip(5).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests));

        for (var i = 0; i < 10; i++)
        {
            using var signed = Shopify.Delivery(Shopify.OrderBody(9_100 + i));
            using var answer = await client.SendAsync(signed);
            answer.StatusCode.Should().Be(HttpStatusCode.OK, "a verified delivery is never throttled");
        }
    }

    [Fact]
    public async Task ExhaustedBudget_ForOneSource_CostsNothingToAnotherSourceOrAnotherAddress()
    {
        using var flooder = app.ClientFrom("127.0.0.22");
        for (var i = 0; i < 8; i++)
        {
            using var forged = Shopify.Delivery(Shopify.OrderBody(9_200 + i), signature: "AAAA", source: "tiny");
            using var _ = await flooder.SendAsync(forged);
        }

        using (var again = Shopify.Delivery(Shopify.OrderBody(9_300), signature: "AAAA", source: "tiny"))
        {
            (await flooder.SendAsync(again)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        }

        using (var otherSource = Shopify.Delivery(Shopify.OrderBody(9_301), signature: "AAAA", source: "shopify"))
        {
            (await flooder.SendAsync(otherSource)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "(client, shopify) has its own budget");
        }

        using var neighbour = app.ClientFrom("127.0.0.23");
        using (var elsewhere = Shopify.Delivery(Shopify.OrderBody(9_302), signature: "AAAA", source: "tiny"))
        {
            (await neighbour.SendAsync(elsewhere)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "another address has its own budget");
        }
    }

    [Fact]
    public async Task ThePathsCase_IsNoWayAroundTheBudget()
    {
        using var client = app.ClientFrom("127.0.0.25");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var forged = Shopify.Delivery(Shopify.OrderBody(9_400 + i), signature: "AAAA", source: "tiny");
            forged.RequestUri = new Uri(i % 2 == 0 ? "/API/V1/WEBHOOKS/tiny" : "/api/v1/Webhooks/tiny", UriKind.Relative);
            statuses.Add((await client.SendAsync(forged)).StatusCode);
        }

        statuses.Take(5).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Unauthorized), "routing answers the path in any case");
        statuses.Skip(5).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests), "and so does the throttle");
    }

    [Fact]
    public async Task UnknownSourceNames_ShareOneBudgetPerClient()
    {
        using var client = app.ClientFrom("127.0.0.24");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var request = Shopify.Delivery(Shopify.OrderBody(i), source: $"made-up-{i}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        statuses.Take(5).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.NotFound));
        statuses.Skip(5).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests), "inventing names buys no fresh budget");
    }
}

/// <summary>The admin credential under attack: throttled failures, the right key always works, Basic only for browsers.</summary>
public sealed class AdminCredentialTests(ThrottledApp app) : IClassFixture<ThrottledApp>
{
    [Fact]
    public async Task AfterTenFailures_FurtherFailuresAnswer429_AndTheRightKeyStillWorks()
    {
        using var client = app.ClientFrom("127.0.0.31");
        for (var i = 0; i < 10; i++)
        {
            using var wrong = Get("/api/v1/admin/relay", $"wrong-key-{i}");
            (await client.SendAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using (var eleventh = Get("/api/v1/admin/relay", "wrong-key-11"))
        {
            using var answer = await client.SendAsync(eleventh);
            answer.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            answer.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
        }

        using var right = Get("/api/v1/admin/relay", WebhooksApp.AdminKey);
        (await client.SendAsync(right)).StatusCode.Should().Be(HttpStatusCode.OK, "the right key is never locked out");
    }

    [Fact]
    public async Task PublishEndpoint_SharesTheFailureThrottle_AndChecksTheKeyBeforeReadingTheBody()
    {
        using var client = app.ClientFrom("127.0.0.32");
        var huge = new string('x', 3 * 1024 * 1024);
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
            {
                Content = new StringContent($"{{\"type\":\"order.created\",\"data\":{{\"pad\":\"{huge}\"}}}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"wrong-{i}");
            request.Headers.ExpectContinue = true; // the body follows only if the server starts reading it
            using var answer = await client.SendAsync(request);
            answer.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the key is refused before a 3 MB body is parsed");
        }

        using var eleventh = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        eleventh.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-again");
        (await client.SendAsync(eleventh)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    /// <summary>
    /// Guessing portal links spends the same failed-login budget: after ten tokens that open nothing the address gets
    /// 429, a real link from that address still opens its portal, and another address is not touched.
    /// </summary>
    [Fact]
    public async Task GuessedPortalLinks_SpendTheFailureBudget_WhileARealLinkStillOpens()
    {
        using var admin = app.ClientFrom("127.0.0.34");
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.AdminKey);
        var (application, _) = await admin.CreateApplicationAsync();
        var link = await admin.CreateLinkAsync(application);
        using var guesser = app.ClientFrom("127.0.0.35");
        for (var i = 0; i < 10; i++)
        {
            (await guesser.GetAsync("/portal/" + i.ToString("D43", System.Globalization.CultureInfo.InvariantCulture))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var eleventh = await guesser.GetAsync("/portal/" + new string('z', 43));
        eleventh.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        eleventh.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);

        using var real = await guesser.GetAsync(link);
        real.StatusCode.Should().Be(HttpStatusCode.OK, "a real link is never locked out");
        (await real.Content.ReadAsStringAsync()).Should().Contain("url=/portal");
        using var neighbour = app.ClientFrom("127.0.0.36");
        (await neighbour.GetAsync("/portal/" + new string('y', 43))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OversizedEvent_WithTheRightKey_Answers413()
    {
        using var client = app.ClientFrom("127.0.0.33");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = new StringContent($"{{\"type\":\"order.created\",\"data\":{{\"pad\":\"{new string('x', 2 * 1024 * 1024)}\"}}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.AdminKey);

        using var answer = await client.SendAsync(request);

        answer.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task BasicCredentials_OnTheJsonApi_AreIgnored()
    {
        using var client = app.ClientFrom("127.0.0.34");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/relay/pause");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + WebhooksApp.AdminKey)));

        using var answer = await client.SendAsync(request);

        (await answer.ProblemAsync(401)).GetProperty("detail").GetString().Should().Contain("Bearer");
        answer.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer", "a browser's cached Basic login cannot drive the JSON API (no cross-site forgery)");
        (await app.CreateAdminClient().GetStringAsync("/api/v1/admin/relay")).Should().Contain("\"paused\":false");
    }

    [Fact]
    public async Task ReadOnlyKey_Reads_ButCannotChangeAnything()
    {
        using var client = app.ClientFrom("127.0.0.35");
        using (var read = Get("/api/v1/admin/inbox", WebhooksApp.ReadOnlyKey))
        {
            (await client.SendAsync(read)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var write = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/relay/pause");
        write.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.ReadOnlyKey);
        using var answer = await client.SendAsync(write);

        await answer.ProblemAsync(403);
    }

    [Fact]
    public async Task AdminActions_AreRecordedInTheAuditLog_WithKeyRouteTargetAndAddress()
    {
        using var client = app.ClientFrom("127.0.0.36");
        var source = "audit-" + Guid.NewGuid().ToString("N")[..6];
        var deadLetter = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1))[0];
        var id = await app.Database.ScalarAsync<Guid>("SELECT id FROM dead_letters WHERE event_id = $1", deadLetter);
        using (var archive = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/dead-letters/{id}/archive"))
        {
            archive.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.AdminKey);
            (await client.SendAsync(archive)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var list = Get("/api/v1/admin/audit", WebhooksApp.ReadOnlyKey);
        using var answer = await client.SendAsync(list);
        var items = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("items");

        var entry = items.EnumerateArray().Single(e => e.GetProperty("target").GetString() == id.ToString());
        entry.GetProperty("actor").GetString().Should().Be("admin");
        entry.GetProperty("role").GetString().Should().Be("admin");
        entry.GetProperty("action").GetString().Should().Be("POST api/v1/admin/dead-letters/{id:guid}/archive");
        entry.GetProperty("status_code").GetInt32().Should().Be(200);
        entry.GetProperty("client_address").GetString().Should().Be("127.0.0.36");
    }

    /// <summary>
    /// A change and its audit row commit in one transaction: when the audit row cannot be written, the change does
    /// not happen either (it once stood with its audit row lost).
    /// </summary>
    [Fact]
    public async Task AnAdminChange_WhoseAuditRowCannotBeWritten_IsNotCommitted()
    {
        using var client = app.ClientFrom("127.0.0.37");
        var source = "audit-tx-" + Guid.NewGuid().ToString("N")[..6];
        var deadLetter = (await DeadLetterSeeds.SeedAsync(app.Database, source, 1))[0];
        var id = await app.Database.ScalarAsync<Guid>("SELECT id FROM dead_letters WHERE event_id = $1", deadLetter);
        var constraint = "refuse_" + Guid.NewGuid().ToString("N")[..8];
        await app.Database.ExecuteAsync($"ALTER TABLE audit_log ADD CONSTRAINT {constraint} CHECK (target IS DISTINCT FROM '{id}') NOT VALID");
        try
        {
            using var archive = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/dead-letters/{id}/archive");
            archive.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebhooksApp.AdminKey);
            ((int)(await client.SendAsync(archive)).StatusCode).Should().BeGreaterThanOrEqualTo(500);
        }
        finally
        {
            await app.Database.ExecuteAsync($"ALTER TABLE audit_log DROP CONSTRAINT {constraint}");
        }

        (await app.Database.ScalarAsync<string>("SELECT status FROM dead_letters WHERE id = $1", id)).Should().Be("dead", "without its audit row the archive is rolled back");
    }

    /// <summary>Stored bodies are personal data: reading one is recorded like a change.</summary>
    [Fact]
    public async Task ReadingAStoredBody_IsRecordedInTheAuditLog()
    {
        using var client = app.ClientFrom("127.0.0.38");
        var accepted = await (await client.SendAsync(Shopify.Delivery(Shopify.OrderBody(Random.Shared.NextInt64(1, long.MaxValue))))).AcceptedAsync();
        using (var read = Get($"/api/v1/admin/inbox/{accepted.Id}", WebhooksApp.ReadOnlyKey))
        {
            (await client.SendAsync(read)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var list = Get("/api/v1/admin/inbox", WebhooksApp.ReadOnlyKey))
        {
            (await client.SendAsync(list)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await app.Database.ScalarAsync<string>("SELECT action || ' ' || actor || ' ' || status_code FROM audit_log WHERE target = $1", accepted.Id.ToString()))
            .Should().Be("GET api/v1/admin/inbox/{id:guid} auditor 200");
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'GET api/v1/admin/inbox'")).Should().Be(0, "lists show no bodies");
    }

    private static HttpRequestMessage Get(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}

/// <summary>Anonymous health: states only, from a cached report; the details need a key.</summary>
public sealed class HealthExposureTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task AnonymousHealth_ShowsEachDependencyState_ButNoSourcesDetailsOrFigures()
    {
        using var client = app.CreateClient();
        // Other test classes stop the shared broker for a while (fault tests): wait for a healthy answer.
        var root = JsonDocument.Parse(await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync("/api/v1/health");
            return await response.Content.ReadAsStringAsync();
        }, body => body.Contains("\"status\":\"healthy\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60))).RootElement;

        root.GetProperty("status").GetString().Should().Be("healthy");
        root.GetProperty("database").GetProperty("status").GetString().Should().Be("up");
        root.GetProperty("broker").GetProperty("status").GetString().Should().Be("up");
        root.GetProperty("relay").GetProperty("status").GetString().Should().Be("running");
        root.TryGetProperty("sources", out _).Should().BeFalse();
        root.GetProperty("relay").TryGetProperty("backlog", out _).Should().BeFalse("a backlog figure costs a query");
        (await client.GetStringAsync("/api/v1/health")).Should().NotContain("shopify");
    }

    [Fact]
    public async Task AdminHealth_ShowsSourcesAndBacklog()
    {
        using var admin = app.CreateAdminClient();
        var root = JsonDocument.Parse(await Eventually.GetAsync(async () =>
        {
            using var response = await admin.GetAsync("/api/v1/health");
            return await response.Content.ReadAsStringAsync();
        }, body => body.Contains("\"status\":\"healthy\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60))).RootElement;

        root.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Contain("shopify");
        root.GetProperty("relay").TryGetProperty("backlog", out _).Should().BeTrue();
    }

    [Fact]
    public async Task AFloodOfAnonymousHealthChecks_CostsAtMostAFewDatabaseRoundTrips()
    {
        using var client = app.CreateClient();
        await client.GetStringAsync("/api/v1/health");
        var before = await HealthProbes();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.GetStringAsync("/api/v1/health")));
        var seconds = clock.Elapsed.TotalSeconds;

        var probes = await HealthProbes() - before;
        probes.Should().BeLessThanOrEqualTo((long)Math.Ceiling(seconds) + 2, "the anonymous report is refreshed at most once a second");
    }

    [Fact]
    public async Task Liveness_AnswersAlive()
    {
        using var client = app.CreateClient();
        JsonDocument.Parse(await client.GetStringAsync("/api/v1/health/live")).RootElement.GetProperty("status").GetString().Should().Be("alive");
    }

    private Task<long> HealthProbes() =>
        Task.FromResult(app.Services.GetRequiredService<Webhooks.Infrastructure.Health.HealthReporter>().DatabaseChecks);
}
