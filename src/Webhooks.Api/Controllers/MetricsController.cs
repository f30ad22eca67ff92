using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Api.Controllers;

/// <summary>
/// Prometheus scrape endpoint (text format 0.0.4): source names and traffic figures, so it takes an admin or read-only
/// key as a bearer token unless Webhooks:Metrics:Anonymous is set.
/// </summary>
[ApiController]
[Route("metrics")]
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Admin.AdminKeyHandler.MetricsPolicy)]
public sealed class MetricsController(IMetricsExposition exporter) : ControllerBase
{
    [HttpGet]
    public async Task Get(CancellationToken cancellationToken)
    {
        Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await exporter.WriteAsync(Response.Body, cancellationToken);
    }
}
