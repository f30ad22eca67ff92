using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Admin.Alerts;
using Webhooks.Application.Backfill;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

/// <summary>Runs one source's backfill now, as the scheduler would, and answers its run.</summary>
internal static class Backfills
{
    public static async Task<BackfillRunView> RunAsync(WebhooksApp app, string source)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var runs = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunBackfill(source));
        return runs.Should().ContainSingle().Subject;
    }

    public static async Task<IReadOnlyCollection<string>> StoredKeysAsync(WebhooksApp app, string source, IEnumerable<string> keys) =>
        await app.Database.ScalarAsync<string[]>(
            "SELECT coalesce(array_agg(idempotency_key), '{}') FROM inbox_messages WHERE source = $1 AND idempotency_key = ANY($2)", source, keys.ToArray());
}

/// <summary>
/// GitHub never redelivers a failed delivery: the backfill lists the hook's deliveries and asks, once, for each failed
/// one the inbox lacks (contract v3, "Providers that never retry"), against the GitHub stub on loopback.
/// </summary>
public sealed class GitHubBackfillTests(BackfillApp app) : IClassFixture<BackfillApp>
{
    [Fact]
    public async Task FailedDeliveriesTheInboxLacks_AreAskedForOnce_AcrossThePages_AndArriveSignedThroughIngest()
    {
        var github = app.GitHub;
        await Backfills.RunAsync(app, "github"); // whatever the class's other tests left is dealt with first
        github.PageLimit = 3;
        var stored = new[] { await github.DeliverAsync("push", GitHubApiStub.PushBody(1)), await github.DeliverAsync("push", GitHubApiStub.PushBody(2)) };
        stored.Should().OnlyContain(d => d.Status == "OK" && d.StatusCode == 200);
        var lost = Enumerable.Range(10, 5).Select(n => github.RecordUnreachable("push", GitHubApiStub.PushBody(n))).ToList();
        // Failed first, then redelivered by hand with success: nothing to ask for.
        var recovered = github.RecordUnreachable("push", GitHubApiStub.PushBody(20));
        (await github.DeliverAsync("push", recovered.Body, recovered.DeliveryGuid, redelivery: true)).Status.Should().Be("OK");
        var asked = github.RedeliveryRequests.Count;
        var sent = github.Requests.Count;

        var run = await Backfills.RunAsync(app, "github");

        run.Outcome.Should().Be(BackfillOutcomes.Succeeded);
        (run.Found - run.Skipped).Should().Be(5);
        run.Recovered.Should().Be(5);
        github.RedeliveryRequests.Skip(asked).Should().BeEquivalentTo(lost.Select(d => d.Id), "only the failed deliveries the inbox lacks are asked for");
        var lostGuids = lost.Select(d => d.DeliveryGuid).ToList();
        await Eventually.GetAsync(() => Backfills.StoredKeysAsync(app, "github", lostGuids), keys => keys.Count == 5,
            because: "GitHub delivers them again, signed, with their X-GitHub-Delivery, and ingest stores them");

        var requests = github.Requests.Skip(sent).ToList();
        var listed = requests.Where(r => r.Method == "GET").ToList();
        listed.Should().HaveCountGreaterThanOrEqualTo(3, "10 deliveries at 3 a page are read through the Link header's cursor");
        listed.Skip(1).Should().OnlyContain(r => r.Query.Contains("cursor=v1_", StringComparison.Ordinal));
        requests.Should().OnlyContain(r => r.UserAgent!.StartsWith("Webhooks/", StringComparison.Ordinal)
            && r.Accept == "application/vnd.github+json" && r.ApiVersion == "2022-11-28" && r.Authorization == "Bearer " + github.Token);
        requests.Where(r => r.Method == "POST").Select(r => r.Path)
            .Should().BeEquivalentTo(lost.Select(d => $"{github.RepoHookPath}/deliveries/{d.Id}/attempts"));

        var again = await Backfills.RunAsync(app, "github");
        again.Recovered.Should().Be(0, "every delivery is in the inbox now");
        github.RedeliveryRequests.Should().HaveCount(asked + 5, "nothing is asked twice");
        github.PageLimit = 100;
    }

    [Fact]
    public async Task ARedeliveryThatFailsAgain_IsNotAskedForASecondTime()
    {
        var github = app.GitHub;
        await Backfills.RunAsync(app, "github");
        github.RedeliveriesFail = true;
        try
        {
            var lost = github.RecordUnreachable("push", GitHubApiStub.PushBody(30));
            var first = await Backfills.RunAsync(app, "github");
            first.Recovered.Should().Be(1);
            await Eventually.GetAsync(() => github.Deliveries.Count(d => d.DeliveryGuid == lost.DeliveryGuid), n => n == 2, because: "GitHub recorded the failed redelivery");
            var asked = github.RedeliveryRequests.Count(id => id == lost.Id);

            var second = await Backfills.RunAsync(app, "github");

            second.Recovered.Should().Be(0);
            second.Skipped.Should().BeGreaterThanOrEqualTo(1, "it is still missing, but was asked for once already");
            github.RedeliveryRequests.Count(id => github.Deliveries.Any(d => d.Id == id && d.DeliveryGuid == lost.DeliveryGuid)).Should().Be(asked).And.Be(1);
        }
        finally
        {
            github.RedeliveriesFail = false;
        }
    }

    [Fact]
    public async Task GitHubsRateLimit_IsHonoured_NothingIsSentUntilItsReset()
    {
        var github = app.GitHub;
        await Backfills.RunAsync(app, "github");
        github.RecordUnreachable("push", GitHubApiStub.PushBody(40));
        github.RateLimitRemaining = 1; // the list uses the last request: X-RateLimit-Remaining: 0
        github.RateLimitReset = DateTimeOffset.UtcNow.AddSeconds(4);
        try
        {
            var limited = await Backfills.RunAsync(app, "github");
            limited.Outcome.Should().Be(BackfillOutcomes.RateLimited);
            var sent = github.Requests.Count;

            var paused = await Backfills.RunAsync(app, "github");
            paused.Outcome.Should().Be(BackfillOutcomes.RateLimited);
            github.Requests.Should().HaveCount(sent, "nothing is sent before X-RateLimit-Reset");

            github.RateLimitRemaining = 5000;
            await Task.Delay(github.RateLimitReset - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
            (await Backfills.RunAsync(app, "github")).Outcome.Should().Be(BackfillOutcomes.Succeeded);
        }
        finally
        {
            github.RateLimitRemaining = 5000;
        }
    }

    [Fact]
    public async Task ASecondaryRateLimitsRetryAfter_IsHonoured_NothingIsSentBeforeItHasPassed()
    {
        var github = app.GitHub;
        await Backfills.RunAsync(app, "github");
        var lost = github.RecordUnreachable("push", GitHubApiStub.PushBody(45));
        github.SecondaryLimitRetryAfter = 3;
        BackfillRunView limited;
        try
        {
            limited = await Backfills.RunAsync(app, "github");
        }
        finally
        {
            github.SecondaryLimitRetryAfter = null;
        }

        limited.Outcome.Should().Be(BackfillOutcomes.RateLimited);
        limited.Error.Should().Contain("403");
        using var admin = app.CreateAdminClient();
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/sources/github/backfill");
        var pausedUntil = status.GetProperty("paused_until").GetDateTimeOffset();
        pausedUntil.Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(3), TimeSpan.FromSeconds(2), "Retry-After: 3");
        status.GetProperty("failed_runs_in_a_row").GetInt32().Should().Be(0, "a rate limit is no failure");
        var sent = github.Requests.Count;

        (await Backfills.RunAsync(app, "github")).Outcome.Should().Be(BackfillOutcomes.RateLimited);
        github.Requests.Should().HaveCount(sent, "nothing is sent before Retry-After has passed");

        var resumed = await Eventually.GetAsync(() => Backfills.RunAsync(app, "github"), r => r.Outcome == BackfillOutcomes.Succeeded, TimeSpan.FromSeconds(15));
        DateTimeOffset.UtcNow.Should().BeOnOrAfter(pausedUntil);
        resumed.Recovered.Should().Be(1);
        github.RedeliveryRequests.Should().Contain(lost.Id);
    }

    [Fact]
    public async Task TheAdminApi_ShowsTheStatus_RunsNowAsAJob_AndNeverShowsTheToken()
    {
        using var admin = app.CreateAdminClient();
        await Backfills.RunAsync(app, "github");

        using var status = await admin.GetAsync("/api/v1/admin/sources/github/backfill");
        status.StatusCode.Should().Be(HttpStatusCode.OK);
        var before = await status.Content.ReadFromJsonAsync<JsonElement>();
        before.GetProperty("last_outcome").GetString().Should().Be("succeeded");
        before.GetProperty("target").GetString().Should().Be(app.GitHub.RepoHookPath);
        var runs = before.GetProperty("runs").GetInt64();

        using var queued = await admin.PostAsync("/api/v1/admin/sources/github/backfill/run", null);
        queued.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString().Should().NotBeNullOrEmpty();
        await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/sources/github/backfill")).GetProperty("runs").GetInt64(),
            n => n > runs, TimeSpan.FromSeconds(30), "the Hangfire job ran the backfill");

        (await admin.GetAsync("/api/v1/admin/sources/shopify/backfill")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/backfill");
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("source").GetString()).Should().Equal("github", "stripe");

        var source = await admin.GetStringAsync("/api/v1/admin/sources/github");
        source.Should().NotContain(app.GitHub.Token).And.Contain("\"name\":\"token\"").And.Contain(app.GitHub.Token[^4..]);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM sources WHERE settings::text LIKE '%' || $1 || '%'", app.GitHub.Token)).Should().Be(0);
        (await app.Database.ScalarAsync<long>("SELECT count(*) FROM source_credentials WHERE source_name = 'github' AND name = 'token' AND protected <> $1", app.GitHub.Token))
            .Should().Be(1, "the token is stored encrypted");
    }

    [Fact]
    public async Task ACredentialChangedThroughTheAdminApi_IsUsedByTheNextRun_AndAWrongOneFailsTheRun()
    {
        using var admin = app.CreateAdminClient();
        using (var wrong = await admin.PutAsJsonAsync("/api/v1/admin/sources/stripe", new { backfill = new { api_key = "sk_test_wrong_key_0123456789" } }))
        {
            wrong.StatusCode.Should().Be(HttpStatusCode.OK);
            (await wrong.Content.ReadAsStringAsync()).Should().NotContain("sk_test_wrong_key_0123456789");
        }

        var failed = await Backfills.RunAsync(app, "stripe");
        failed.Outcome.Should().Be(BackfillOutcomes.Failed);
        failed.Error.Should().Contain("401").And.NotContain("sk_test_wrong");

        using (var right = await admin.PutAsJsonAsync("/api/v1/admin/sources/stripe", new { backfill = new { api_key = app.Stripe.ApiKey } }))
        {
            right.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await Backfills.RunAsync(app, "stripe")).Outcome.Should().Be(BackfillOutcomes.Succeeded);

        using var invalid = await admin.PutAsJsonAsync("/api/v1/admin/sources/stripe", new { backfill = new { owner = "octo-org" } });
        (await invalid.ProblemAsync(400)).ToString().Should().Contain("Backfill:Token, Owner");
    }
}

/// <summary>An organisation's hook (token) and a GitHub App's own hook (the JWT GitHub requires), configured through the admin API.</summary>
public sealed class GitHubBackfillHookKindsTests(BackfillApp app) : IClassFixture<BackfillApp>
{
    [Fact]
    public async Task AnOrganisationsHook_AndAnAppsHook_AreListedAndRedeliveredWithTheirCredentials()
    {
        using var admin = app.CreateAdminClient();
        var github = app.GitHub;
        var (_, _, org) = GitHubApiStub.Names;
        using (var created = await admin.PostAsJsonAsync("/api/v1/admin/sources", new
        {
            name = "github-org", provider = "github", secrets = new[] { BackfillApp.GitHubSecret },
            backfill = new { api_base_url = github.BaseUrl, org, hook_id = github.HookId, token = github.Token },
        }))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using (var created = await admin.PostAsJsonAsync("/api/v1/admin/sources", new
        {
            name = "github-app", provider = "github", secrets = new[] { BackfillApp.GitHubSecret },
            backfill = new { api_base_url = github.BaseUrl, app_id = github.AppId, private_key = github.AppPrivateKeyPem },
        }))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created);
            (await created.Content.ReadAsStringAsync()).Should().NotContain("PRIVATE KEY");
        }

        var lost = github.RecordUnreachable("push", GitHubApiStub.PushBody(50));
        // The stub keeps one list of deliveries for every hook: a redelivery the first run got through would leave the
        // second nothing to ask for, so the redeliveries fail (still missing, still failed, for both hooks).
        github.RedeliveriesFail = true;
        BackfillRunView orgRun, appRun;
        try
        {
            orgRun = await Backfills.RunAsync(app, "github-org");
            appRun = await Backfills.RunAsync(app, "github-app");
        }
        finally
        {
            github.RedeliveriesFail = false;
        }

        orgRun.Outcome.Should().Be(BackfillOutcomes.Succeeded, orgRun.Error);
        appRun.Outcome.Should().Be(BackfillOutcomes.Succeeded, appRun.Error);
        github.Requests.Should().Contain(r => r.Method == "GET" && r.Path == $"{github.OrgHookPath}/deliveries" && r.Authorization == "Bearer " + github.Token);
        github.Requests.Should().Contain(r => r.Method == "POST" && r.Path == $"{github.OrgHookPath}/deliveries/{lost.Id}/attempts");
        github.Requests.Should().Contain(r => r.Method == "GET" && r.Path == "/app/hook/deliveries" && r.Authorization!.Count(c => c == '.') == 2,
            "an app's hook is read with a JWT, which the stub verified with the app's public key");
        // The latest failed delivery of the guid: the original, or the org hook's failed redelivery if GitHub recorded it first.
        var ofLost = github.Deliveries.Where(d => d.DeliveryGuid == lost.DeliveryGuid).Select(d => $"/app/hook/deliveries/{d.Id}/attempts").ToList();
        github.Requests.Should().ContainSingle(r => r.Method == "POST" && r.Path.StartsWith("/app/hook/", StringComparison.Ordinal))
            .Which.Path.Should().BeOneOf(ofLost);
    }

    [Fact]
    public async Task ABackfillOnAProviderWithoutOne_OrWithoutItsHook_IsRefusedNamingTheKey()
    {
        using var admin = app.CreateAdminClient();
        using var shopify = await admin.PostAsJsonAsync("/api/v1/admin/sources", new
        {
            name = "shop-backfill", provider = "shopify", secrets = new[] { "shpss_0123456789abcdef" }, backfill = new { api_key = "x" },
        });
        (await shopify.ProblemAsync(400)).ToString().Should().Contain("sources:shop-backfill:Backfill is for github and stripe sources only");

        using var noHook = await admin.PostAsJsonAsync("/api/v1/admin/sources", new
        {
            name = "github-nohook", provider = "github", secrets = new[] { BackfillApp.GitHubSecret }, backfill = new { token = "ghp_x" },
        });
        (await noHook.ProblemAsync(400)).ToString().Should().Contain("sources:github-nohook:Backfill must name one hook");
    }
}

/// <summary>A backfill's API on a private address is refused unless Webhooks:Delivery:AllowPrivateNetworks, like a subscription's URL.</summary>
public sealed class BackfillDestinationRulesTests(PrivateNetworksRefusedBackfillApp app) : IClassFixture<PrivateNetworksRefusedBackfillApp>
{
    [Fact]
    public async Task AnApiOnLoopback_IsRefused_NothingIsSent_AndRunsFailingInARow_OpenTheBackfillFailingAlert()
    {
        app.GitHub.RecordUnreachable("push", GitHubApiStub.PushBody(60));
        for (var i = 0; i < 3; i++)
        {
            var run = await Backfills.RunAsync(app, "github");
            run.Outcome.Should().Be(BackfillOutcomes.Failed);
            run.Error.Should().Contain("refused by the outbound destination rules").And.Contain("loopback");
        }

        app.GitHub.Requests.Should().BeEmpty("nothing is sent to a refused destination");
        app.Stripe.Requests.Should().BeEmpty();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAsync(CancellationToken.None);
        }

        using var admin = app.CreateAdminClient();
        var alerts = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/alerts?kind=backfill_failing");
        var alert = alerts.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        alert.GetProperty("source").GetString().Should().Be("github");
        alert.GetProperty("severity").GetString().Should().Be("warning");
        alert.GetProperty("value").GetDouble().Should().Be(3);

        (await admin.GetStringAsync("/metrics")).Should().Contain("webhooks_backfill_runs_total{outcome=\"failed\",source=\"github\"} 3");
    }
}

/// <summary>Stripe's 429 names no Retry-After: the backfill waits a minute of its own and sends nothing meanwhile.</summary>
public sealed class StripeBackfillRateLimitTests(BackfillApp app) : IClassFixture<BackfillApp>
{
    [Fact]
    public async Task A429_PausesTheStripeBackfillForAMinute_WithoutCountingAsAFailure()
    {
        app.Stripe.RateLimited = true;
        BackfillRunView limited;
        try
        {
            limited = await Backfills.RunAsync(app, "stripe");
        }
        finally
        {
            app.Stripe.RateLimited = false;
        }

        limited.Outcome.Should().Be(BackfillOutcomes.RateLimited);
        limited.Error.Should().Contain("429");
        var sent = app.Stripe.Requests.Count;
        sent.Should().Be(1);

        (await Backfills.RunAsync(app, "stripe")).Outcome.Should().Be(BackfillOutcomes.RateLimited);
        app.Stripe.Requests.Should().HaveCount(sent, "nothing is asked of Stripe during the pause");

        using var admin = app.CreateAdminClient();
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/sources/stripe/backfill");
        status.GetProperty("last_outcome").GetString().Should().Be("rate_limited");
        status.GetProperty("paused_until").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromSeconds(15));
        status.GetProperty("failed_runs_in_a_row").GetInt32().Should().Be(0);
    }
}

/// <summary>One run of a source at a time across instances, yet no wait for a lease the database's outage left behind.</summary>
public sealed class BackfillLeaseTests(BackfillApp app) : IClassFixture<BackfillApp>
{
    [Fact]
    public async Task AnotherInstancesLease_PassesTheRunOver_ButOneThisInstanceLeftWhenItsRecordFailed_IsTakenOverAtOnce()
    {
        await app.Database.ExecuteAsync("""
            INSERT INTO backfill_state (source, leased_until, leased_by) VALUES ('github', now() + interval '1 hour', gen_random_uuid())
            ON CONFLICT (source) DO UPDATE SET leased_until = excluded.leased_until, leased_by = excluded.leased_by
            """);

        (await Backfills.RunAsync(app, "github")).Outcome.Should().Be(BackfillOutcomes.Busy, "another instance is running it");
        app.GitHub.Requests.Should().BeEmpty();

        // This instance's own run, whose record could not reach the database: its lease stays there for an hour.
        await app.Database.ExecuteAsync("UPDATE backfill_state SET leased_until = NULL, leased_by = NULL WHERE source = 'github'");
        var store = app.Services.GetRequiredService<Webhooks.Infrastructure.Backfill.PostgresBackfillStore>();
        var now = DateTimeOffset.UtcNow;
        (await store.StartAsync("github", now, TimeSpan.FromHours(1), CancellationToken.None)).Should().NotBeNull();
        using (var unreachable = new CancellationTokenSource())
        {
            await unreachable.CancelAsync();
            await store.Invoking(s => s.FinishAsync(new BackfillRunRecord("github", now, now, BackfillOutcomes.Failed, 0, 0, 0, null, null, null, 1), unreachable.Token))
                .Should().ThrowAsync<OperationCanceledException>();
        }

        (await app.Database.ScalarAsync<bool>("SELECT leased_until > now() + interval '50 minutes' FROM backfill_state WHERE source = 'github'")).Should().BeTrue();

        var run = await Backfills.RunAsync(app, "github");

        run.Outcome.Should().Be(BackfillOutcomes.Succeeded, run.Error);
        app.GitHub.Requests.Should().NotBeEmpty();
        (await app.Database.ScalarAsync<bool>("SELECT leased_until IS NULL AND leased_by IS NULL FROM backfill_state WHERE source = 'github'")).Should().BeTrue();
    }
}

/// <summary>The dashboard's System page: every source's backfill and its "run now".</summary>
public sealed class BackfillDashboardTests(BackfillApp app) : IClassFixture<BackfillApp>
{
    [Fact]
    public async Task TheSystemPage_ShowsEachSourcesBackfillWithoutItsCredentials_AndRunNowRunsIt()
    {
        await Backfills.RunAsync(app, "github");
        using var client = app.CreateDashboardClient();

        var page = await client.GetStringAsync("/admin/system");

        page.Should().Contain(app.GitHub.RepoHookPath).And.Contain("payment_intent.succeeded, customer.created")
            .And.Contain("/admin/sources/github/backfill/run").And.Contain("/admin/sources/stripe/backfill/run").And.Contain("succeeded");
        page.Should().NotContain(app.GitHub.Token).And.NotContain(app.Stripe.ApiKey);

        var runs = await RunsAsync();
        using var posted = await client.PostAsync("/admin/sources/github/backfill/run",
            new FormUrlEncodedContent([new("__RequestVerificationToken", DashboardForms.Token(page))]));
        posted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        posted.Headers.Location!.ToString().Should().Be("/admin/system");
        await Eventually.GetAsync(RunsAsync, n => n > runs, TimeSpan.FromSeconds(30), "the queued job ran the backfill");
    }

    private Task<long> RunsAsync() => app.Database.ScalarAsync<long>("SELECT coalesce(sum(runs), 0)::bigint FROM backfill_state WHERE source = 'github'");
}
