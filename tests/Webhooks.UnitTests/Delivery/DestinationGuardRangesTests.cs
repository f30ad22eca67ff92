using System.Net;
using FluentAssertions;
using Webhooks.Infrastructure.Delivery;

namespace Webhooks.UnitTests.Delivery;

/// <summary>Addresses that reach back inside (loopback, private, metadata, and IPv6 forms that carry an IPv4 address).</summary>
public sealed class DestinationGuardRangesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("169.254.169.254")]          // cloud metadata
    [InlineData("::ffff:10.0.0.1")]          // IPv4-mapped
    [InlineData("64:ff9b::a00:1")]           // NAT64 well-known prefix
    [InlineData("64:ff9b:1::a00:1")]         // NAT64 local-use prefix
    [InlineData("::a00:1")]                  // IPv4-compatible
    [InlineData("2002:a00:1::1")]            // 6to4 of 10.0.0.1
    [InlineData("2001:0:4136:e378::1")]      // Teredo
    [InlineData("fec0::1")]                  // deprecated site-local
    [InlineData("fd00::1")]                  // unique local
    public void IsForbidden_ForAddressesThatReachBackInside(string address) =>
        DestinationGuard.IsForbidden(IPAddress.Parse(address)).Should().BeTrue();

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void IsForbidden_NotForPublicAddresses(string address) =>
        DestinationGuard.IsForbidden(IPAddress.Parse(address)).Should().BeFalse();
}
