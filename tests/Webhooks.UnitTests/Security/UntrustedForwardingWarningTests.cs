using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Api.Http;

namespace Webhooks.UnitTests.Security;

public sealed class UntrustedForwardingWarningTests
{
    [Fact]
    public async Task ForwardedHeadersFromAPeerThatIsNoProxy_AreWarnedAbout_AtMostOnceEveryTenMinutes()
    {
        var clock = new SteppingClock();
        var logger = new CountingLogger();
        var warning = new UntrustedForwardingWarning(_ => Task.CompletedTask, Options.Create(new ProxyOptions()), clock, logger);

        for (var i = 0; i < 50; i++)
        {
            await warning.InvokeAsync(Request("203.0.113.9", forwarded: true));
        }

        logger.Warnings.Should().Be(1, "a flood of such requests gives one warning, not one per request");
        clock.Advance(TimeSpan.FromMinutes(11));
        await warning.InvokeAsync(Request("203.0.113.9", forwarded: true));
        logger.Warnings.Should().Be(2);
    }

    [Fact]
    public async Task ForwardedHeadersFromAConfiguredProxy_OrNone_AreNotWarnedAbout()
    {
        var logger = new CountingLogger();
        var warning = new UntrustedForwardingWarning(_ => Task.CompletedTask, Options.Create(new ProxyOptions { KnownProxies = ["10.0.0.0/8"] }), new SteppingClock(), logger);

        await warning.InvokeAsync(Request("10.1.2.3", forwarded: true));
        await warning.InvokeAsync(Request("203.0.113.9", forwarded: false));

        logger.Warnings.Should().Be(0);
    }

    private static DefaultHttpContext Request(string peer, bool forwarded)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwarded)
        {
            context.Request.Headers["X-Forwarded-For"] = "198.51.100.7";
        }

        return context;
    }

    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    private sealed class CountingLogger : ILogger<UntrustedForwardingWarning>
    {
        public int Warnings { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings++;
            }
        }
    }
}
