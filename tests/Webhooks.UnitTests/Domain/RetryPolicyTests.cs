using FluentAssertions;
using Webhooks.Domain.Outbox;

namespace Webhooks.UnitTests.Domain;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Contract = new(15, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(14, 300)]
    public void DelayAfter_WithMidpointJitter_IsMinOfMaxDelayAndDoubling(int attempt, int expectedSeconds) =>
        Contract.DelayAfter(attempt, 0.5).Should().Be(TimeSpan.FromSeconds(expectedSeconds));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void DelayAfter_Jitter_StaysWithinTwentyPercentAndUnderMaxDelay(int attempt)
    {
        var nominal = Contract.DelayAfter(attempt, 0.5);
        var low = Contract.DelayAfter(attempt, 0.0);
        var high = Contract.DelayAfter(attempt, 0.999_999);

        low.Should().BeCloseTo(nominal * 0.8, TimeSpan.FromMilliseconds(1));
        high.Should().BeGreaterThan(low).And.BeLessThanOrEqualTo(Contract.MaxDelay);
        if (nominal < Contract.MaxDelay * 0.8)
        {
            high.Should().BeCloseTo(nominal * 1.2, TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void DelayAfter_HugeAttempt_DoesNotOverflow() => Contract.DelayAfter(10_000, 0.5).Should().Be(Contract.MaxDelay);

    [Fact]
    public void IsExhausted_AtMaxAttempts()
    {
        Contract.IsExhausted(14).Should().BeFalse();
        Contract.IsExhausted(15).Should().BeTrue();
    }
}
