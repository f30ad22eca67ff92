using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Webhooks.Api;

namespace Webhooks.UnitTests.Configuration;

/// <summary>Seed 000's environment variables, accepted at start and mapped onto the gateway's configuration.</summary>
public sealed class LegacyVariablesTests
{
    [Fact]
    public void TheSeedsSecretsAndLimits_BecomeTheShopifyAndStripeSources_EachNamedForTheLog()
    {
        var configuration = new ConfigurationManager();
        var said = LegacyVariables.Apply(configuration, Env(("SHOPIFY_WEBHOOK_SECRET", "shpss_from_the_seed"), ("STRIPE_WEBHOOK_SECRET", "whsec_from_the_seed"), ("MAX_PAYLOAD_SIZE_MB", "5"), ("DEDUP_TTL_HOURS", "24")));

        configuration["Webhooks:Sources:shopify:Provider"].Should().Be("shopify");
        configuration["Webhooks:Sources:shopify:Secrets:0"].Should().Be("shpss_from_the_seed");
        configuration["Webhooks:Sources:stripe:Secrets:0"].Should().Be("whsec_from_the_seed");
        configuration["Webhooks:Sources:stripe:MaxBodyBytes"].Should().Be("5242880");
        configuration["Webhooks:Retention:Inbox"].Should().BeNull("30 days of duplicate detection is already longer than 24 hours");
        said.Should().HaveCount(4).And.Contain(s => s.StartsWith("SHOPIFY_WEBHOOK_SECRET", StringComparison.Ordinal))
            .And.Contain(s => s.StartsWith("DEDUP_TTL_HOURS=24", StringComparison.Ordinal));
        string.Join(' ', said).Should().NotContain("from_the_seed", "a log line names the variable, never its secret");
    }

    [Fact]
    public void AConfiguredSource_WinsOverTheSeedsVariable()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:Sources:shopify:Provider"] = "shopify", ["Webhooks:Sources:shopify:Secrets:0"] = "configured" });

        LegacyVariables.Apply(configuration, Env(("SHOPIFY_WEBHOOK_SECRET", "from-env")));

        configuration["Webhooks:Sources:shopify:Secrets:0"].Should().Be("configured");
    }

    [Fact]
    public void ADedupTtlLongerThanTheRetention_LengthensTheRetention() =>
        Apply(("DEDUP_TTL_HOURS", "2000"))["Webhooks:Retention:Inbox"].Should().Be("83.08:00:00");

    [Fact]
    public void AMalformedSize_FailsStartUp_NamingTheVariable() =>
        FluentActions.Invoking(() => Apply(("MAX_PAYLOAD_SIZE_MB", "ten"))).Should().Throw<InvalidOperationException>().WithMessage("*MAX_PAYLOAD_SIZE_MB*");

    private static ConfigurationManager Apply(params (string Name, string Value)[] variables)
    {
        var configuration = new ConfigurationManager();
        LegacyVariables.Apply(configuration, Env(variables));
        return configuration;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
