using FluentAssertions;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Outbox;

namespace Webhooks.UnitTests.Domain;

public sealed class OutboxMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetryPolicy Policy = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    private static OutboxMessage NewMessage() =>
        OutboxMessage.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), "shopify", "evt.webhook.order.created", "1", "c", "{}", Now);

    [Fact]
    public void Fail_BeforeLastAttempt_SchedulesBackoffAndKeepsPending()
    {
        var message = NewMessage();

        var dead = message.Fail("nack", Now, Policy, 0.5);

        dead.Should().BeFalse();
        message.Status.Should().Be(OutboxStatus.Pending);
        message.Attempts.Should().Be(1);
        message.NextAttemptAt.Should().Be(Now + TimeSpan.FromSeconds(1));
        message.LastError.Should().Be("nack");
    }

    [Fact]
    public void Fail_OnLastAttempt_DeadLetters()
    {
        var message = NewMessage();
        message.Fail("nack", Now, Policy, 0.5);
        message.Fail("nack", Now, Policy, 0.5);

        message.Fail("nack 3", Now, Policy, 0.5).Should().BeTrue();
        message.Status.Should().Be(OutboxStatus.DeadLettered);
        message.Attempts.Should().Be(3);
    }

    [Fact]
    public void Requeue_KeepsIdAndResetsAttempts()
    {
        var message = NewMessage();
        var id = message.Id;
        message.Fail("nack", Now, Policy, 0.5);

        message.Requeue(Now.AddHours(1));

        message.Id.Should().Be(id);
        message.Attempts.Should().Be(0);
        message.Status.Should().Be(OutboxStatus.Pending);
        message.NextAttemptAt.Should().Be(Now.AddHours(1));
    }

    [Fact]
    public void MarkPublished_CountsTheAttempt()
    {
        var message = NewMessage();

        message.MarkPublished(Now);

        message.Status.Should().Be(OutboxStatus.Published);
        message.Attempts.Should().Be(1);
        message.PublishedAt.Should().Be(Now);
    }

    [Fact]
    public void DeadLetter_ReplayedOrArchivedOnlyOnce()
    {
        var letter = DeadLetter.From(Guid.CreateVersion7(), "shopify", "evt.webhook.received", "{}", 15, "nack", Now);

        letter.MarkReplayed(Now);

        letter.Status.Should().Be(DeadLetterStatus.Replayed);
        var again = () => letter.Archive(Now);
        again.Should().Throw<InvalidOperationException>().WithMessage("*already replayed*");
    }
}
