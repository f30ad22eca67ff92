using System.Net;
using FluentAssertions;
using Webhooks.Api.Infrastructure;

namespace Webhooks.UnitTests.Security;

public sealed class FailureThrottleTests
{
    [Fact]
    public void RecordFailure_WithinTheBurst_IsNotThrottled_ThenAnswersAWait()
    {
        var clock = new ManualClock();
        var throttle = new FailureThrottle(clock, burst: 3, tokensPerSecond: 1);

        throttle.RecordFailure("a").Should().BeNull();
        throttle.RecordFailure("a").Should().BeNull();
        throttle.RecordFailure("a").Should().BeNull();

        throttle.RecordFailure("a").Should().Be(TimeSpan.FromSeconds(1));
        throttle.RecordFailure("b").Should().BeNull("each key has a budget of its own");
    }

    [Fact]
    public void RecordFailure_AfterTheBudgetReturns_IsNotThrottledAgain()
    {
        var clock = new ManualClock();
        var throttle = new FailureThrottle(clock, burst: 2, tokensPerSecond: 0.5);
        throttle.RecordFailure("a");
        throttle.RecordFailure("a");
        throttle.RecordFailure("a").Should().NotBeNull();

        clock.Advance(TimeSpan.FromSeconds(2));

        throttle.RecordFailure("a").Should().BeNull("one token came back after 2 s at 0.5/s");
        throttle.RecordFailure("a").Should().NotBeNull();
    }

    [Fact]
    public void RecordFailure_ManyDistinctKeys_TrackAtMostTheCapPlusTheOverflowBucket()
    {
        var clock = new ManualClock();
        var throttle = new FailureThrottle(clock, burst: 1, tokensPerSecond: 0.001, maxKeys: 100);

        for (var i = 0; i < 10_000; i++)
        {
            throttle.RecordFailure($"10.0.{i / 256}.{i % 256}");
        }

        throttle.TrackedKeys.Should().BeLessThanOrEqualTo(101);
    }

    [Fact]
    public void RecordFailure_AtTheCap_SweepsRefilledBucketsBeforeOverflowing()
    {
        var clock = new ManualClock();
        var throttle = new FailureThrottle(clock, burst: 1, tokensPerSecond: 1, maxKeys: 10);
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure($"old-{i}");
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        throttle.RecordFailure("new").Should().BeNull();

        throttle.TrackedKeys.Should().Be(1, "the refilled buckets were swept and the new key got its own");
        throttle.IsExhausted("new").Should().BeTrue();
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    public void ClientKey_GroupsIPv6ByItsSlash64(string address, string expected) =>
        FailureThrottle.ClientKey(IPAddress.Parse(address)).Should().Be(expected);

    private sealed class ManualClock : TimeProvider
    {
        private long ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
