using FluentAssertions;
using Webhooks.Domain.Delivery;

namespace Webhooks.UnitTests.Domain;

/// <summary>
/// The one place a subscription's counters move and its automatic disabling is decided (the batched recording stores
/// what <see cref="AttemptTally.Apply"/> answers).
/// </summary>
public sealed class AttemptTallyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly AutoDisableRule Rule = new(3, TimeSpan.FromDays(5));

    private static CountedAttempts One(SubscriptionCounters before, AttemptVerdict verdict, string? error, DateTimeOffset at)
    {
        var tally = new AttemptTally();
        tally.Add(verdict, error, at);
        return tally.Apply(before, Rule, at);
    }

    [Fact]
    public void Success_CountsIt_AndEndsTheStreak_ButKeepsTheLastError()
    {
        var failed = One(SubscriptionCounters.New, AttemptVerdict.Retry, "HTTP 500", Now).After;

        var counted = One(failed, AttemptVerdict.Succeeded, null, Now.AddSeconds(5));

        counted.DisableReason.Should().BeNull();
        counted.After.Should().Be(new SubscriptionCounters(1, 1, 0, null, Now.AddSeconds(5), "HTTP 500", true));
    }

    [Fact]
    public void TheConfiguredFailuresInARow_Disable()
    {
        var counters = One(SubscriptionCounters.New, AttemptVerdict.Retry, "HTTP 500", Now);
        counters.DisableReason.Should().BeNull();
        counters = One(counters.After, AttemptVerdict.GiveUp, "HTTP 400", Now.AddSeconds(1));
        counters.DisableReason.Should().BeNull();

        var third = One(counters.After, AttemptVerdict.Retry, "HTTP 503", Now.AddSeconds(2));

        third.DisableReason.Should().Be("3 attempts in a row failed");
        third.After.IsActive.Should().BeFalse();
        third.After.FailingSince.Should().Be(Now);
        third.After.ConsecutiveFailures.Should().Be(3);
    }

    [Fact]
    public void Gone_DisablesAtOnce() =>
        One(SubscriptionCounters.New, AttemptVerdict.Gone, "HTTP 410", Now).DisableReason.Should().Be("the endpoint answered 410 Gone");

    [Fact]
    public void FailingLongerThanTheRule_Disables_EvenWithFewFailures()
    {
        var first = One(SubscriptionCounters.New, AttemptVerdict.Retry, "timeout", Now).After;

        One(first, AttemptVerdict.Retry, "timeout", Now.AddDays(5)).DisableReason.Should().StartWith("failing since");
    }

    [Fact]
    public void OnADisabledSubscription_CountsButDecidesNothing()
    {
        var disabled = SubscriptionCounters.New with { IsActive = false };

        var counted = One(disabled, AttemptVerdict.Gone, "HTTP 410", Now);

        counted.DisableReason.Should().BeNull();
        counted.After.FailureCount.Should().Be(1);
        counted.After.IsActive.Should().BeFalse();
    }

    [Fact]
    public void ABatch_MovesTheCountersAsTheSameAttemptsOneByOneWould()
    {
        (AttemptVerdict Verdict, string? Error)[] attempts =
        [
            (AttemptVerdict.Retry, "a"), (AttemptVerdict.Succeeded, null), (AttemptVerdict.Retry, "b"), (AttemptVerdict.GiveUp, "c"),
        ];
        var start = One(SubscriptionCounters.New, AttemptVerdict.Retry, "earlier", Now.AddMinutes(-1)).After;
        var oneByOne = start;
        var tally = new AttemptTally();
        for (var i = 0; i < attempts.Length; i++)
        {
            oneByOne = One(oneByOne, attempts[i].Verdict, attempts[i].Error, Now.AddSeconds(i)).After;
            tally.Add(attempts[i].Verdict, attempts[i].Error, Now.AddSeconds(i));
        }

        var batched = tally.Apply(start, Rule, Now.AddSeconds(attempts.Length)).After;

        batched.Should().Be(oneByOne);
        batched.ConsecutiveFailures.Should().Be(2);
        batched.FailingSince.Should().Be(Now.AddSeconds(2));
        batched.LastError.Should().Be("c");
    }

    [Fact]
    public void AStreakReachedInsideABatch_Disables_EvenIfASuccessFollows()
    {
        var tally = new AttemptTally();
        tally.Add(AttemptVerdict.Retry, "a", Now);
        tally.Add(AttemptVerdict.Succeeded, null, Now.AddSeconds(1));

        tally.Apply(SubscriptionCounters.New with { ConsecutiveFailures = 2, FailingSince = Now.AddMinutes(-1) }, Rule, Now)
            .Should().Be(new CountedAttempts(new SubscriptionCounters(1, 1, 0, null, Now.AddSeconds(1), "a", false), "3 attempts in a row failed"));
        tally.Apply(SubscriptionCounters.New with { ConsecutiveFailures = 1, FailingSince = Now.AddMinutes(-1) }, Rule, Now).DisableReason.Should().BeNull();
    }
}
