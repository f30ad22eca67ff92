using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Infrastructure.Relay;

namespace Webhooks.Api.Admin;

/// <summary>Operators pause the relay (maintenance, a broken consumer) and resume it; ingest keeps accepting meanwhile.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/relay")]
public sealed class RelayController(RelayState relay) : ControllerBase
{
    [HttpGet]
    public IActionResult Get() => Ok(Describe());

    [HttpPost("pause")]
    public IActionResult Pause()
    {
        relay.Pause();
        return Ok(Describe());
    }

    [HttpPost("resume")]
    public IActionResult Resume()
    {
        relay.Resume();
        return Ok(Describe());
    }

    private object Describe() => new
    {
        id = "relay",
        paused = relay.Paused,
        broker_reachable = relay.BrokerReachable,
        published = relay.Published,
        dead_lettered = relay.DeadLettered,
        last_published_at = relay.LastPublishedAt,
    };
}
