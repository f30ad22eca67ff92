using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Admin;

/// <summary>Operators pause the relay (maintenance, a broken consumer) and resume it; ingest keeps accepting meanwhile.</summary>
[ApiController]
[Authorize(Policy = AdminKeyHandler.Policy)]
[Route("api/v1/admin/relay")]
public sealed class RelayController(IRelayControl relay) : ControllerBase
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

    private object Describe()
    {
        var status = relay.Status;
        return new
        {
            id = "relay",
            paused = status.Paused,
            broker_reachable = status.BrokerReachable,
            published = status.Published,
            dead_lettered = status.DeadLettered,
            last_published_at = status.LastPublishedAt,
        };
    }
}
