using FluentAssertions;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Application.Sources;

namespace Webhooks.UnitTests.Configuration;

public sealed class SourceDefinitionsTests
{
    [Fact]
    public void Check_UnknownProvider_NamesTheKey()
    {
        var failures = SourceDefinitions.Check("shop", new SourceSettings { Provider = "shopifyy", Secrets = ["s"] });

        failures.Should().ContainSingle().Which.Should().StartWith("Webhooks:Sources:shop:Provider");
    }

    [Fact]
    public void Check_NoSecrets_RefusesRatherThanAcceptingUnsigned()
    {
        SourceDefinitions.Check("shop", new SourceSettings { Provider = "shopify" })
            .Should().ContainSingle().Which.Should().Contain("Webhooks:Sources:shop:Secrets");
    }

    [Theory]
    [InlineData("Shop")]
    [InlineData("shop_1")]
    [InlineData("shop/x")]
    [InlineData("shop\n")]
    public void Check_NameOutsideUrlSegmentRules_Refused(string name) =>
        SourceDefinitions.Check(name, new SourceSettings { Provider = "shopify", Secrets = ["s"] }).Should().Contain(f => f.Contains("[a-z0-9-]+"));

    [Fact]
    public void Check_HmacWithoutSignatureHeader_Refused() =>
        SourceDefinitions.Check("x", new SourceSettings { Provider = "hmac", Secrets = ["s"] }).Should().Contain(f => f.Contains("SignatureHeader"));

    [Fact]
    public void ToSource_AppliesContractDefaults()
    {
        var source = SourceDefinitions.ToSource("shop", new SourceSettings { Provider = "shopify", Secrets = ["s"] });

        source.ToleranceSeconds.Should().Be(300);
        source.MaxBodyBytes.Should().Be(10_485_760);
        source.Enabled.Should().BeTrue();
    }

    [Theory]
    [InlineData("00:00:30", false)]
    [InlineData("00:01:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("31.00:00:00", false)]
    [InlineData("00:00:00", true)]
    public void Check_ExpectedEvery_FromAMinuteToThirtyDays_OrZeroForNone(string every, bool valid)
    {
        var settings = new SourceSettings { Provider = "shopify", Secrets = ["s"], ExpectedEvery = TimeSpan.Parse(every, System.Globalization.CultureInfo.InvariantCulture) };

        var failures = SourceDefinitions.Check("shop", settings).ToList();

        if (valid)
        {
            failures.Should().BeEmpty();
            SourceDefinitions.ToSource("shop", settings).ExpectedEvery.Should().Be(settings.ExpectedEvery == TimeSpan.Zero ? null : settings.ExpectedEvery);
        }
        else
        {
            failures.Should().ContainSingle().Which.Should().StartWith("Webhooks:Sources:shop:ExpectedEvery");
        }
    }

    [Fact]
    public void BrokerAddress_ParsesCredentialsPortAndVhost()
    {
        var address = BrokerAddress.Parse("amqp://user:p%40ss@mq.internal:5673/tenant-a");

        address.Should().Be(new BrokerAddress("mq.internal", 5673, "tenant-a", "user", "p@ss", false));
        BrokerAddress.Parse("amqp://guest:guest@127.0.0.1:5672/").VirtualHost.Should().Be("/");
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.200.1.1", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::1", true)]
    public void AllowedIps_MatchAddressesAndRanges(string allowed, string client, bool expected)
    {
        var source = SourceDefinitions.ToSource("x", new SourceSettings { Provider = "shopify", Secrets = ["s"], AllowedIps = [allowed] });

        source.Allows(System.Net.IPAddress.Parse(client)).Should().Be(expected);
        source.Allows(null).Should().BeFalse("once a list is set, an unknown address is not on it");
    }

    [Fact]
    public void Check_AllowedIpsThatAreNotAddresses_NamesTheEntry() =>
        SourceDefinitions.Check("x", new SourceSettings { Provider = "shopify", Secrets = ["s"], AllowedIps = ["10.0.0.0/33", "office"] })
            .Should().HaveCount(2).And.OnlyContain(f => f.Contains("Webhooks:Sources:x:AllowedIps"));

    [Fact]
    public void Check_TypeInTheTemplateWithoutATypeHeader_NamesTheKey() =>
        SourceDefinitions.Check("dairy", new SourceSettings { Provider = "hmac", Secrets = ["s"], SignatureHeader = "X-Signature", SignedPayload = "{type}.{body}" })
            .Should().Contain(f => f.Contains("Webhooks:Sources:dairy:EventTypeHeader", StringComparison.Ordinal));
}
