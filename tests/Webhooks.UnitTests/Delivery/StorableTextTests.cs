using FluentAssertions;
using Webhooks.Infrastructure.Delivery;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.UnitTests.Delivery;

/// <summary>Text the delivery log keeps must be text PostgreSQL accepts, whatever a receiver answered.</summary>
public sealed class StorableTextTests
{
    [Fact]
    public void Cut_NeverSplitsASurrogatePair()
    {
        var body = new string('a', 999) + "😀" + "tail";

        var cut = DeliverySender.Cut(body)!;

        cut.Should().HaveLength(999, "the emoji would straddle the 1,000th character, so it is left out whole");
        System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(cut)).Should().Be(cut);
        DeliverySender.Cut(new string('a', 998) + "😀" + "tail").Should().HaveLength(1000, "a pair that fits is kept");
    }

    [Fact]
    public void Storable_ReplacesNulAndLoneSurrogates_KeepsPairs()
    {
        // Built from char codes: a lone surrogate does not survive an attribute's metadata.
        var high = ((char)0xD83D).ToString();
        var low = ((char)0xDE00).ToString();

        PostgresArrays.Storable("plain").Should().Be("plain");
        PostgresArrays.Storable("a\0b").Should().Be("a\uFFFDb");
        PostgresArrays.Storable("x" + high).Should().Be("x\uFFFD");
        PostgresArrays.Storable(low + "y").Should().Be("\uFFFDy");
        PostgresArrays.Storable(low + high).Should().Be("\uFFFD\uFFFD", "a low then a high surrogate is no pair");
        PostgresArrays.Storable("ok " + high + low).Should().Be("ok 😀");
        PostgresArrays.Storable(null).Should().BeNull();
    }
}
