using MediatR;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Api.Http;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Ingestion;
using Webhooks.Application.Ingestion.ReceiveWebhook;

namespace Webhooks.Api.Controllers;

/// <summary>Where providers post. Reads the raw bytes (bounded by the source's limit) and hands them to the use case.</summary>
[ApiController]
[Route("api/v1/webhooks")]
public sealed class WebhooksController(IMediator mediator, UnverifiedBodies unverified, IOptions<IngestLimitOptions> limits) : ControllerBase
{
    [HttpPost("{source}")]
    [HttpPost("{source}/{**topic}")]
    [ProducesResponseType<WebhookAccepted>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Receive(string source, string? topic)
    {
        // Looked up once, as the request entered the ingest pipeline (IngestSource), and carried to the command.
        var definition = IngestSource.Of(HttpContext)?.Known;
        if (definition is not { Enabled: true })
        {
            throw new SourceNotFoundException(source);
        }

        // Who may send is settled before a byte of the body is read.
        if (!definition.Allows(HttpContext.Connection.RemoteIpAddress))
        {
            throw new AddressNotAllowedException(definition.Name, HttpContext.Connection.RemoteIpAddress?.ToString());
        }

        // The body's memory is charged to the client until the request ends; the whole body must arrive in time.
        using var charge = unverified.Open(FailureThrottle.ClientKey(HttpContext.Connection.RemoteIpAddress));
        byte[] body;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(HttpContext.RequestAborted))
        {
            deadline.CancelAfter(limits.Value.RequestTimeout);
            try
            {
                body = await RawBody.ReadAsync(Request, definition.MaxBodyBytes, charge, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !HttpContext.RequestAborted.IsCancellationRequested)
            {
                throw new IngestRequestTimeoutException(limits.Value.RequestTimeout);
            }
        }

        var headers = new Dictionary<string, string>(Request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in Request.Headers)
        {
            headers[name] = values.ToString();
        }

        var request = new WebhookRequest(
            source,
            string.IsNullOrEmpty(topic) ? null : topic,
            body,
            Request.ContentType,
            headers,
            Request.Scheme,
            Request.Host.Value ?? "",
            RawTarget(),
            HttpContext.Connection.RemoteIpAddress?.ToString(),
            CorrelationIdMiddleware.Of(HttpContext),
            TraceParent());

        // Not cancelled with the request: once read, a delivery is committed (or refused) even if the caller left.
        var result = await mediator.Send(new ReceiveWebhook(request, definition), CancellationToken.None);
        if (result.ImmediateResponse is { } handshake)
        {
            return Content(handshake, "application/json");
        }

        HttpContext.Items[IngestMetricsMiddleware.OutcomeItem] = result.Duplicate ? "duplicate" : "accepted";
        return Ok(new WebhookAccepted(result.Id, "accepted", result.Duplicate));
    }

    /// <summary>The path and query exactly as the client sent them (signatures such as Twilio's cover them).</summary>
    private string RawTarget() =>
        HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw.StartsWith('/')
            ? raw
            : (Request.PathBase + Request.Path + Request.QueryString).ToString();

    /// <summary>The ingest span's W3C id when it is being traced (consumers continue under it), else the caller's.</summary>
    private string? TraceParent()
    {
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C, Id: { } id })
        {
            return id;
        }

        var header = Request.Headers["traceparent"].ToString();
        return header.Length == 55 ? header : null;
    }
}

public sealed record WebhookAccepted(Guid? Id, string Status, bool Duplicate);
