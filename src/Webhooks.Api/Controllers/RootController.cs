using Microsoft.AspNetCore.Mvc;

namespace Webhooks.Api.Controllers;

/// <summary>GET / — where to go from here: the API reference, the dashboard and health.</summary>
[ApiController]
[Route("")]
public sealed class RootController : ControllerBase
{
    [HttpGet]
    public ServiceIndex Get() => new(
        "Webhooks",
        "A webhook gateway: verified inbound webhooks to RabbitMQ, signed outbound deliveries to subscribers.",
        "/docs",
        "/openapi/v1.json",
        "/asyncapi.json",
        "/admin",
        "/api/v1/health");
}

public sealed record ServiceIndex(string Name, string Description, string Docs, string Openapi, string Asyncapi, string Admin, string Health);
