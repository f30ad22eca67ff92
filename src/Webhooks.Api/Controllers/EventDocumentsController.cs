using System.Text.Encodings.Web;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Events;

namespace Webhooks.Api.Controllers;

/// <summary>Machine-readable descriptions of the published events, for consuming teams. They describe and reveal no data.</summary>
[ApiController]
[AllowAnonymous]
public sealed class EventDocumentsController(IMediator mediator) : ControllerBase
{
    /// <summary>Readable text: the documents hold no user input, so nothing needs HTML-safe escaping.</summary>
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON Schema of an event type's data, e.g. /api/v1/schemas/evt.webhook.order.created.</summary>
    [HttpGet("api/v1/schemas/{type}")]
    public async Task<ContentResult> Schema(string type, CancellationToken cancellationToken) =>
        Content((await mediator.Send(new GetEventSchema(type), cancellationToken)).ToJsonString(Output), EventSchemas.ContentType);

    /// <summary>The AsyncAPI 3.0 document of the webhooks.events exchange.</summary>
    [HttpGet("asyncapi.json")]
    public async Task<ContentResult> AsyncApi(CancellationToken cancellationToken) =>
        Content((await mediator.Send(new GetAsyncApiDocument(), cancellationToken)).ToJsonString(Output), "application/json");
}
