using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Controllers;

/// <summary>Prometheus scrape endpoint (text format 0.0.4).</summary>
[ApiController]
[Route("metrics")]
public sealed class MetricsController(IMetricsExposition exporter) : ControllerBase
{
    [HttpGet]
    public async Task Get(CancellationToken cancellationToken)
    {
        Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await exporter.WriteAsync(Response.Body, cancellationToken);
    }
}
