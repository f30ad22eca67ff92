using FluentAssertions;
using Webhooks.Domain.Alerts;

namespace Webhooks.UnitTests.Domain;

public sealed class AlertTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ClearFor = TimeSpan.FromMinutes(5);
    private static readonly AlertThresholds Defaults = new();

    [Theory]
    [InlineData(1, 20, null)]          // 5 %: fine
    [InlineData(3, 20, AlertSeverity.Warning)]   // 15 %
    [InlineData(7, 20, AlertSeverity.Critical)]  // 35 %
    [InlineData(19, 19, null)]         // 100 % but under the minimum sample
    public void Rejections_CrossTheirThresholds_OnlyWithEnoughSample(long rejected, long total, AlertSeverity? expected) =>
        AlertRules.Rejections("stripe", rejected, total, 900, Defaults).Severity.Should().Be(expected);

    [Fact]
    public void Open_FromAReadingOverItsThreshold_IsOpenWithItsSeverity()
    {
        var alert = Alert.Open(AlertRules.Rejections("stripe", 7, 20, 900, Defaults), T0);

        alert.Status.Should().Be(AlertStatus.Open);
        alert.Severity.Should().Be(AlertSeverity.Critical);
        alert.Value.Should().Be(0.35);
        alert.Threshold.Should().Be(0.30);
    }

    [Fact]
    public void Observe_TheSameSeverityAgain_ChangesNothingToPublish()
    {
        var alert = Alert.Open(AlertRules.Rejections("stripe", 3, 20, 900, Defaults), T0);

        alert.Observe(AlertRules.Rejections("stripe", 4, 20, 900, Defaults), T0.AddMinutes(1), ClearFor).Should().Be(AlertChange.None);
        alert.Value.Should().Be(0.2, "the value follows the data");
    }

    [Fact]
    public void Observe_AHigherSeverity_EscalatesAndPublishesOpenedAgain()
    {
        var alert = Alert.Open(AlertRules.Rejections("stripe", 3, 20, 900, Defaults), T0);

        alert.Observe(AlertRules.Rejections("stripe", 8, 20, 900, Defaults), T0.AddMinutes(1), ClearFor).Should().Be(AlertChange.Opened);
        alert.Severity.Should().Be(AlertSeverity.Critical);
    }

    [Fact]
    public void Observe_AClearedCondition_ResolvesOnlyAfterItStayedClearForClearFor()
    {
        var alert = Alert.Open(AlertRules.Rejections("stripe", 7, 20, 900, Defaults), T0);
        var clear = AlertRules.Rejections("stripe", 0, 20, 900, Defaults);

        alert.Observe(clear, T0.AddMinutes(1), ClearFor).Should().Be(AlertChange.None);
        alert.Observe(clear, T0.AddMinutes(4), ClearFor).Should().Be(AlertChange.None);
        alert.Observe(clear, T0.AddMinutes(6), ClearFor).Should().Be(AlertChange.Resolved);
        alert.Status.Should().Be(AlertStatus.Resolved);
        alert.ResolvedAt.Should().Be(T0.AddMinutes(6));
    }

    [Fact]
    public void Observe_ARateHoveringAroundTheThreshold_NeitherResolvesNorReopensEveryMinute()
    {
        var alert = Alert.Open(AlertRules.Rejections("stripe", 3, 20, 900, Defaults), T0);
        var changes = new List<AlertChange>();
        for (var minute = 1; minute <= 20; minute++)
        {
            var rejected = minute % 2 == 0 ? 3 : 2; // 15 %, then 10 % (not over), and so on
            changes.Add(alert.Observe(AlertRules.Rejections("stripe", rejected, 20, 900, Defaults), T0.AddMinutes(minute), ClearFor));
        }

        changes.Should().OnlyContain(c => c == AlertChange.None, "a clear minute between two bad ones restarts the clear-for wait");
        alert.IsActive.Should().BeTrue();
    }

    [Fact]
    public void Acknowledge_ThenResolve_FollowTheLifecycle()
    {
        var alert = Alert.Open(AlertRules.NewDeadLetters(11, 900, Defaults), T0);

        alert.Acknowledge(T0.AddMinutes(1));
        alert.Status.Should().Be(AlertStatus.Acknowledged);
        alert.Invoking(a => a.Acknowledge(T0.AddMinutes(2))).Should().Throw<InvalidOperationException>();
        alert.Resolve(T0.AddMinutes(3));
        alert.Status.Should().Be(AlertStatus.Resolved);
        alert.Invoking(a => a.Resolve(T0.AddMinutes(4))).Should().Throw<InvalidOperationException>();
        alert.Observe(AlertRules.NewDeadLetters(50, 900, Defaults), T0.AddMinutes(5), ClearFor).Should().Be(AlertChange.None, "a resolved alert stays resolved; a new one opens");
    }

    [Theory]
    [InlineData(20, null)]
    [InlineData(31, AlertSeverity.Warning)]
    [InlineData(301, AlertSeverity.Critical)]
    public void Delay_OfTheOldestPendingEvent_WarnsThenGoesCritical(double seconds, AlertSeverity? expected) =>
        AlertRules.Delay(seconds, Defaults).Severity.Should().Be(expected);

    [Fact]
    public void Subscription_DisabledByTheGateway_IsCritical_FailingInARowIsAWarning()
    {
        var id = Guid.NewGuid();
        AlertRules.Subscription(id, 3, disabledByGateway: false, Defaults).Severity.Should().BeNull();
        AlertRules.Subscription(id, 10, disabledByGateway: false, Defaults).Severity.Should().Be(AlertSeverity.Warning);
        AlertRules.Subscription(id, 50, disabledByGateway: true, Defaults).Should().Match<AlertReading>(r => r.Kind == AlertRules.SubscriptionDisabled && r.Severity == AlertSeverity.Critical);
    }

    [Theory]
    [InlineData(59, null)]
    [InlineData(61, AlertSeverity.Warning)]
    [InlineData(241, AlertSeverity.Critical)]
    public void Silence_LongerThanExpectedEvery_Warns_FourTimesAsLongIsCritical(int minutesSilent, AlertSeverity? expected)
    {
        var reading = AlertRules.Silence("shopify", TimeSpan.FromMinutes(minutesSilent), TimeSpan.FromHours(1));
        reading.Severity.Should().Be(expected);
        reading.Should().Match<AlertReading>(r => r.Kind == AlertRules.SilentSource && r.Subject == "shopify" && r.Value == minutesSilent * 60 && r.Threshold == 3600);
    }

    [Fact]
    public void Silence_ThatEnds_ResolvesTheAlertAfterClearFor()
    {
        var alert = Alert.Open(AlertRules.Silence("stripe", TimeSpan.FromMinutes(90), TimeSpan.FromHours(1)), T0);
        alert.Observe(AlertRules.Silence("stripe", TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)), T0.AddMinutes(1), ClearFor).Should().Be(AlertChange.None);
        alert.Observe(AlertRules.Silence("stripe", TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)), T0.AddMinutes(1) + ClearFor, ClearFor).Should().Be(AlertChange.Resolved);
    }

    [Theory]
    [InlineData(AlertRules.RelayPaused, 4, null)]
    [InlineData(AlertRules.RelayPaused, 5, AlertSeverity.Warning)]
    [InlineData(AlertRules.BrokerUnreachable, 4, null)]
    [InlineData(AlertRules.BrokerUnreachable, 6, AlertSeverity.Critical)]
    public void Stalled_ForStalledMinutes_PausedWarns_AnUnreachableBrokerIsCritical(string kind, int minutes, AlertSeverity? expected) =>
        AlertRules.Stalled(kind, minutes, Defaults).Severity.Should().Be(expected);

    [Theory]
    [InlineData(0.2, null)]
    [InlineData(4.9, null)]
    [InlineData(6.0, AlertSeverity.Warning)]
    public void Latency_OfTheSlowestPublishInTheWindow_WarnsAboveFiveSeconds(double seconds, AlertSeverity? expected) =>
        AlertRules.Latency(seconds, 900, Defaults).Severity.Should().Be(expected);
}
