using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Infrastructure.Health;

namespace Webhooks.Api.Controllers;

/// <summary>
/// Health for people (each dependency's state), readiness for load balancers, liveness for supervisors. Anonymous
/// callers get states only, from a report refreshed at most once a second: no source names, no error texts, no
/// figures that cost a query. With an admin or read-only key, the details.
/// </summary>
[ApiController]
[Route("api/v1/health")]
public sealed class HealthController(HealthReporter reporter) : ControllerBase
{
    [HttpGet]
    [ProducesResponseType<AnonymousHealth>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthReport>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Get(CancellationToken cancellationToken)
    {
        var login = await HttpContext.AuthenticateAsync(AdminKeyHandler.SchemeName);
        if (login.Succeeded && (login.Principal.IsInRole(AdminRoles.Admin) || login.Principal.IsInRole(AdminRoles.ReadOnly)))
        {
            var report = await reporter.CheckAsync(includeBacklog: true, cancellationToken);
            return StatusCode(report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, report);
        }

        var cached = await reporter.CachedAsync(cancellationToken);
        return StatusCode(
            cached.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            new AnonymousHealth(cached.Status, new(cached.Database.Status), new(cached.Broker.Status), new(cached.Relay.Status)));
    }

    [HttpGet("ready")]
    public async Task<IActionResult> Ready(CancellationToken cancellationToken)
    {
        var report = await reporter.CachedAsync(cancellationToken);
        return report.Ready
            ? Ok(new { status = "ready" })
            : StatusCode(StatusCodes.Status503ServiceUnavailable, new { status = "not_ready", database = report.Database.Status, broker = report.Broker.Status });
    }

    [HttpGet("live")]
    public IActionResult Live() => Ok(new { status = "alive" });
}

public sealed record AnonymousHealth(string Status, DependencyState Database, DependencyState Broker, DependencyState Relay);

public sealed record DependencyState(string Status);
