using FluentAssertions;
using Webhooks.Domain.Delivery;

namespace Webhooks.UnitTests.Domain;

public sealed class SubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static SubscriptionSettings Settings(string url = "https://example.test/hook") =>
        new(url, ["order.*", "order.*"], null, "{}", 7, 30, "standard", false);

    private static Subscription NewSubscription() =>
        Subscription.Create(Guid.CreateVersion7(), Webhooks.Domain.Tenants.Tenant.DefaultId, Settings(), true, SubscriptionSecret.Create(Guid.CreateVersion7(), "sealed-1", "…abcd", Now), Now);

    [Fact]
    public void Create_KeepsEachPatternOnce_AndAttachesTheSecret()
    {
        var subscription = NewSubscription();

        subscription.Events.Should().Equal("order.*");
        subscription.Secrets.Should().ContainSingle().Which.SubscriptionId.Should().Be(subscription.Id);
    }

    [Fact]
    public void Enable_AfterADisable_ClearsTheDisabledState_AndSaysSubscriptionsChanged()
    {
        var subscription = NewSubscription();
        subscription.Disable("the endpoint answered 410 Gone", Now);
        subscription.TakeDomainEvents();

        subscription.Enable(Now.AddHours(1));

        subscription.IsActive.Should().BeTrue();
        (subscription.DisabledAt, subscription.DisabledReason, subscription.FailingSince).Should().Be((null, null, null));
        subscription.ConsecutiveFailures.Should().Be(0);
        subscription.TakeDomainEvents().Should().Equal(new Webhooks.Domain.Common.SubscriptionChanged(subscription.Id));
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
}
