using Microsoft.AspNetCore.Mvc;
using Webhooks.Infrastructure.Health;

namespace Webhooks.Api.Controllers;

/// <summary>Health for people (each dependency's state), readiness for load balancers, liveness for supervisors.</summary>
[ApiController]
[Route("api/v1/health")]
public sealed class HealthController(HealthReporter reporter) : ControllerBase
{
    [HttpGet]
    public async Task<IActionResult> Get(CancellationToken cancellationToken)
    {
        var report = await reporter.CheckAsync(includeBacklog: true, cancellationToken);
        return StatusCode(report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, report);
    }

    [HttpGet("ready")]
    public async Task<IActionResult> Ready(CancellationToken cancellationToken)
    {
        var report = await reporter.CheckAsync(includeBacklog: false, cancellationToken);
        return report.Ready
            ? Ok(new { status = "ready" })
            : StatusCode(StatusCodes.Status503ServiceUnavailable, new { status = "not_ready", database = report.Database, broker = report.Broker });
    }

    [HttpGet("live")]
    public IActionResult Live() => Ok(new { status = "live" });
}
