using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Webhooks.Application.Backfill;
using Webhooks.Application.Sources;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Sources;
using Webhooks.Infrastructure.Backfill;

namespace Webhooks.UnitTests.Backfill;

public sealed class BackfillRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static GitHubDelivery Delivery(long id, string guid, int minutes, string status, int code) =>
        new(id, guid, T0.AddMinutes(minutes), false, status, code, "push", null);

    [Theory]
    [InlineData("OK", 200, false)]
    [InlineData("OK", 204, false)]
    [InlineData("Invalid HTTP Response: 503", 503, true)]
    [InlineData("failed to connect to host", 0, true)]
    [InlineData("OK", 302, true)]   // a redirect is no 2xx: nothing was stored
    public void AGitHubDelivery_HasFailed_UnlessItsStatusIsOkAndItsCode2xx(string status, int code, bool failed) =>
        Delivery(1, "a", 0, status, code).Failed.Should().Be(failed);

    [Fact]
    public void ToRedeliver_TakesTheLatestFailedDeliveryOfEachGuid_LeavesOutAGuidThatGotThrough_OldestFirst()
    {
        var listed = new[]
        {
            Delivery(5, "late", 5, "failed to connect to host", 0),
            Delivery(1, "twice", 1, "Invalid HTTP Response: 503", 503),
            Delivery(3, "twice", 3, "Invalid HTTP Response: 503", 503),
            Delivery(2, "recovered", 2, "Invalid HTTP Response: 503", 503),
            Delivery(4, "recovered", 4, "OK", 200),
            Delivery(6, "fine", 6, "OK", 200),
        };

        GitHubDelivery.ToRedeliver(listed).Select(d => d.Id).Should().Equal(3, 5);
    }

    [Fact]
    public void TheWindow_OfTheFirstRun_IsTheLookback_OfLaterOnesTheLastCompleteRunLessTheOverlap_NeverMoreThanTheLookback()
    {
        var lookback = TimeSpan.FromDays(3);
        var overlap = TimeSpan.FromHours(1);

        BackfillWindow.Since(T0, null, overlap, lookback).Should().Be(T0 - lookback);
        BackfillWindow.Since(T0, T0.AddMinutes(-5), overlap, lookback).Should().Be(T0.AddMinutes(-65));
        BackfillWindow.Since(T0, T0.AddDays(-10), overlap, lookback).Should().Be(T0 - lookback);
    }

    [Theory]
    [InlineData(2, null)]
    [InlineData(3, AlertSeverity.Warning)]
    [InlineData(9, AlertSeverity.Warning)]
    public void BackfillFailing_IsAWarning_FromTheThresholdOfFailedRunsInARow(int failed, AlertSeverity? expected)
    {
        var reading = AlertRules.Backfill("github", failed, new AlertThresholds(BackfillFailures: 3));

        reading.Kind.Should().Be(AlertRules.BackfillFailing);
        reading.Severity.Should().Be(expected);
    }

    [Theory]
    [InlineData("00:00:04", false)]
    [InlineData("00:00:05", true)]
    [InlineData("00:05:00", true)]
    [InlineData("1.00:00:01", false)]
    public void Every_IsHonouredDownTo5Seconds(string every, bool valid)
    {
        var options = new BackfillOptions { Every = TimeSpan.Parse(every, System.Globalization.CultureInfo.InvariantCulture) };

        Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true).Should().Be(valid);
    }

    [Fact]
    public void LinkHeader_GivesTheNextPagesCursor_OrNullOnTheLastPage()
    {
        const string middle = "<https://api.github.com/repos/o/r/hooks/1/deliveries?per_page=100&cursor=v1_1234>; rel=\"next\", "
            + "<https://api.github.com/repos/o/r/hooks/1/deliveries?per_page=100&cursor=v1_1>; rel=\"prev\"";
        const string last = "<https://api.github.com/repos/o/r/hooks/1/deliveries?per_page=100&cursor=v1_1>; rel=\"prev\"";

        LinkHeader.NextCursor([middle]).Should().Be("v1_1234");
        LinkHeader.NextCursor([last]).Should().BeNull();
    }

    [Fact]
    public void GitHubAppJwt_IsRs256WithTheAppsKey_IssuedAMinuteBack_ExpiringWithinTenMinutes_IssuedByTheAppId()
    {
        using var key = RSA.Create(2048);

        var parts = GitHubAppJwt.Create("123456", key.ExportRSAPrivateKeyPem(), T0).Split('.');

        parts.Should().HaveCount(3);
        key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).Should().BeTrue();
        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        header.RootElement.GetProperty("alg").GetString().Should().Be("RS256");
        using var claims = JsonDocument.Parse(Base64Url(parts[1]));
        claims.RootElement.GetProperty("iat").GetInt64().Should().Be(T0.AddSeconds(-60).ToUnixTimeSeconds());
        claims.RootElement.GetProperty("exp").GetInt64().Should().BeLessThanOrEqualTo(T0.AddMinutes(10).ToUnixTimeSeconds());
        claims.RootElement.GetProperty("iss").GetInt64().Should().Be(123456);
    }

    [Fact]
    public void TheBackfillSection_IsRefusedNamingItsKey_ForAnotherProvider_AHookMissing_OrTooManyStripeTypes()
    {
        const string key = "Webhooks:Sources:s:Backfill";

        BackfillDefinitions.Check(key, ProviderKind.Shopify, new BackfillSettings { ApiKey = "x" }).Should().ContainSingle()
            .Which.Should().StartWith($"{key} is for github and stripe sources only");
        BackfillDefinitions.Check(key, ProviderKind.GitHub, new BackfillSettings { Token = "t", Owner = "o", HookId = 1 })
            .Should().Contain(f => f.StartsWith($"{key} must name one hook", StringComparison.Ordinal));
        BackfillDefinitions.Check(key, ProviderKind.GitHub, new BackfillSettings { Owner = "o", Repo = "r", HookId = 1 })
            .Should().Contain(f => f.StartsWith($"{key}:Token is required", StringComparison.Ordinal));
        BackfillDefinitions.Check(key, ProviderKind.GitHub, new BackfillSettings { Owner = "o", Repo = "r", HookId = 1 }, [SourceCredential.Token])
            .Should().BeEmpty("a stored token need not be repeated");
        BackfillDefinitions.Check(key, ProviderKind.Stripe, new BackfillSettings { ApiKey = "k", Types = [.. Enumerable.Range(0, 21).Select(i => $"a.b{i}")] })
            .Should().Contain(f => f.StartsWith($"{key}:Types must list 1 to 20", StringComparison.Ordinal));
        BackfillDefinitions.Check(key, ProviderKind.Stripe, new BackfillSettings { ApiKey = "k", Types = ["payment_intent.succeeded"] }).Should().BeEmpty();
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
