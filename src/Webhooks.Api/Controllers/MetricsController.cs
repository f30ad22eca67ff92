using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Controllers;

/// <summary>Prometheus scrape endpoint (text format 0.0.4).</summary>
[ApiController]
[Route("metrics")]
public sealed class MetricsController(IMetricsExposition exporter) : ControllerBase
{
    [HttpGet]
    public ContentResult Get() => Content(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8");
}
