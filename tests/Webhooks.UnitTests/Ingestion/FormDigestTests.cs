using System.Text;
using FluentAssertions;
using Webhooks.Application.Providers;
using Webhooks.Domain.Inbox;

namespace Webhooks.UnitTests.Ingestion;

/// <summary>Twilio signs the URL and the sorted fields, not the bytes: the body hash that de-duplicates must do the same.</summary>
public sealed class FormDigestTests
{
    [Fact]
    public void ACapturedFormReordered_HashesLikeTheOriginal_SoItIsADuplicate()
    {
        var original = Encoding.UTF8.GetBytes("MessageSid=SM1&MessageStatus=delivered&To=%2B15551234567");
        var reordered = Encoding.UTF8.GetBytes("To=%2B15551234567&MessageStatus=delivered&MessageSid=SM1");

        Stored(original).BodySha256.Should().Equal(Stored(reordered).BodySha256);
    }

    [Fact]
    public void ADifferentField_HashesDifferently()
    {
        var delivered = Encoding.UTF8.GetBytes("MessageSid=SM1&MessageStatus=delivered");
        var failed = Encoding.UTF8.GetBytes("MessageSid=SM1&MessageStatus=failed");

        Stored(delivered).BodySha256.Should().NotEqual(Stored(failed).BodySha256);
    }

    private static InboxMessage Stored(byte[] body) => InboxMessage.Receive(
        "twilio", "twilio", null, Guid.NewGuid().ToString(), "application/x-www-form-urlencoded", new Dictionary<string, string>(),
        body, "c", null, DateTimeOffset.UtcNow, FormBody.Canonical(body));
}
