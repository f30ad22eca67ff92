using FluentAssertions;
using Webhooks.Domain.Delivery;

namespace Webhooks.UnitTests.Domain;

public sealed class SubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly AutoDisableRule Rule = new(3, TimeSpan.FromDays(5));

    private static SubscriptionSettings Settings(string url = "https://example.test/hook") =>
        new(url, ["order.*", "order.*"], null, "{}", 7, 30, "standard", false);

    private static Subscription NewSubscription() =>
        Subscription.Create(Guid.CreateVersion7(), Settings(), true, SubscriptionSecret.Create(Guid.CreateVersion7(), "sealed-1", "…abcd", Now), Now);

    [Fact]
    public void Create_KeepsEachPatternOnce_AndAttachesTheSecret()
    {
        var subscription = NewSubscription();

        subscription.Events.Should().Equal("order.*");
        subscription.Secrets.Should().ContainSingle().Which.SubscriptionId.Should().Be(subscription.Id);
    }

    [Fact]
    public void RecordAttempt_Success_CountsIt_AndEndsTheStreak()
    {
        var subscription = NewSubscription();
        subscription.RecordAttempt(AttemptVerdict.Retry, "HTTP 500", Now, Rule);

        var disabled = subscription.RecordAttempt(AttemptVerdict.Succeeded, null, Now.AddSeconds(5), Rule);

        disabled.Should().BeNull();
        (subscription.SuccessCount, subscription.FailureCount, subscription.ConsecutiveFailures).Should().Be((1L, 1L, 0));
        subscription.FailingSince.Should().BeNull();
        subscription.LastError.Should().Be("HTTP 500", "a success does not clear the last error");
        subscription.LastTriggeredAt.Should().Be(Now.AddSeconds(5));
    }

    [Fact]
    public void RecordAttempt_TheConfiguredFailuresInARow_DisableIt()
    {
        var subscription = NewSubscription();

        subscription.RecordAttempt(AttemptVerdict.Retry, "HTTP 500", Now, Rule).Should().BeNull();
        subscription.RecordAttempt(AttemptVerdict.GiveUp, "HTTP 400", Now.AddSeconds(1), Rule).Should().BeNull();
        var reason = subscription.RecordAttempt(AttemptVerdict.Retry, "HTTP 503", Now.AddSeconds(2), Rule);

        reason.Should().Be("3 attempts in a row failed");
        subscription.IsActive.Should().BeFalse();
        subscription.DisabledReason.Should().Be(reason);
        subscription.DisabledAt.Should().Be(Now.AddSeconds(2));
        subscription.FailingSince.Should().Be(Now);
    }

    [Fact]
    public void RecordAttempt_Gone_DisablesAtOnce()
    {
        var subscription = NewSubscription();

        subscription.RecordAttempt(AttemptVerdict.Gone, "HTTP 410", Now, Rule).Should().Be("the endpoint answered 410 Gone");

        subscription.IsActive.Should().BeFalse();
    }

    [Fact]
    public void RecordAttempt_FailingLongerThanTheRule_DisablesIt_EvenWithFewFailures()
    {
        var subscription = NewSubscription();
        subscription.RecordAttempt(AttemptVerdict.Retry, "timeout", Now, Rule);

        var reason = subscription.RecordAttempt(AttemptVerdict.Retry, "timeout", Now.AddDays(5), Rule);

        reason.Should().StartWith("failing since");
        subscription.IsActive.Should().BeFalse();
    }

    [Fact]
    public void RecordAttempt_OnADisabledSubscription_CountsButDecidesNothing()
    {
        var subscription = NewSubscription();
        subscription.Disable(Subscription.DisabledByOperator, Now);

        subscription.RecordAttempt(AttemptVerdict.Gone, "HTTP 410", Now, Rule).Should().BeNull();

        subscription.DisabledReason.Should().Be(Subscription.DisabledByOperator);
        subscription.FailureCount.Should().Be(1);
    }

    [Fact]
    public void Enable_AfterAnAutomaticDisable_ClearsTheDisabledStateAndTheStreak()
    {
        var subscription = NewSubscription();
        subscription.RecordAttempt(AttemptVerdict.Gone, "HTTP 410", Now, Rule);

        subscription.Enable(Now.AddHours(1));

        subscription.IsActive.Should().BeTrue();
        (subscription.DisabledAt, subscription.DisabledReason, subscription.FailingSince).Should().Be((null, null, null));
        subscription.ConsecutiveFailures.Should().Be(0);
        subscription.FailureCount.Should().Be(1, "the totals are history, not state");
    }

    [Fact]
    public void ReplaySince_IsAsAsked_ElseWhenDisabled_ElseADayAgo()
    {
        var subscription = NewSubscription();
        subscription.ReplaySince(null, Now).Should().Be(Now.AddDays(-1));

        subscription.Disable("x", Now.AddHours(-3));

        subscription.ReplaySince(null, Now).Should().Be(Now.AddHours(-3));
        subscription.ReplaySince(Now.AddMinutes(-5), Now).Should().Be(Now.AddMinutes(-5));
    }

    [Fact]
    public void RotateSecret_KeepsTheOldOnesForTheOverlap_ButNeverExtendsAnEarlierExpiry()
    {
        var subscription = NewSubscription();
        subscription.RotateSecret(SubscriptionSecret.Create(Guid.CreateVersion7(), "sealed-2", "…efgh", Now), TimeSpan.FromMinutes(10), Now);

        subscription.RotateSecret(SubscriptionSecret.Create(Guid.CreateVersion7(), "sealed-3", "…ijkl", Now.AddMinutes(1)), TimeSpan.FromHours(24), Now.AddMinutes(1));

        subscription.Secrets.Select(s => s.ExpiresAt).Should().Equal(Now.AddMinutes(10), Now.AddMinutes(1).AddHours(24), null);
        subscription.UpdatedAt.Should().Be(Now.AddMinutes(1));
    }

    [Fact]
    public void Tally_OfABatch_MovesTheCountersAsTheSameAttemptsOneByOneWould()
    {
        (AttemptVerdict Verdict, string? Error)[] attempts =
        [
            (AttemptVerdict.Retry, "a"), (AttemptVerdict.Succeeded, null), (AttemptVerdict.Retry, "b"), (AttemptVerdict.GiveUp, "c"),
        ];
        var oneByOne = NewSubscription();
        var batched = NewSubscription();
        oneByOne.RecordAttempt(AttemptVerdict.Retry, "earlier", Now.AddMinutes(-1), Rule);
        batched.RecordAttempt(AttemptVerdict.Retry, "earlier", Now.AddMinutes(-1), Rule);

        var tally = new AttemptTally();
        for (var i = 0; i < attempts.Length; i++)
        {
            oneByOne.RecordAttempt(attempts[i].Verdict, attempts[i].Error, Now.AddSeconds(i), Rule);
            tally.Add(attempts[i].Verdict, attempts[i].Error, Now.AddSeconds(i));
        }

        batched.Record(tally, Now.AddSeconds(attempts.Length), Rule);

        batched.Should().BeEquivalentTo(oneByOne, o => o.Excluding(s => s.Id).Excluding(s => s.Secrets).Excluding(s => s.UpdatedAt));
        batched.ConsecutiveFailures.Should().Be(2);
        batched.FailingSince.Should().Be(Now.AddSeconds(2));
        batched.LastError.Should().Be("c");
    }

    [Fact]
    public void Tally_AStreakReachedInsideABatch_Disables_EvenIfASuccessFollows()
    {
        var tally = new AttemptTally();
        tally.Add(AttemptVerdict.Retry, "a", Now);
        tally.Add(AttemptVerdict.Succeeded, null, Now.AddSeconds(1));

        tally.Decide(Rule, streakBefore: 2, failingSinceBefore: Now.AddMinutes(-1), Now).Should().Be("3 attempts in a row failed");
        tally.Decide(Rule, streakBefore: 1, failingSinceBefore: Now.AddMinutes(-1), Now).Should().BeNull();
        tally.StreakAfter(2).Should().Be(0);
    }
}
