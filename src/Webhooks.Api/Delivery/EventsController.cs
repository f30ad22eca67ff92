using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Api.Admin;
using Webhooks.Application.Delivery;
using Webhooks.Application.Delivery.Intake;

namespace Webhooks.Api.Delivery;

/// <summary>
/// Internal services publish an event for outbound delivery (Bearer: the admin key or one of
/// Webhooks:Delivery:PublisherKeys). 202 once the event and its deliveries are stored; the same id again is answered
/// with the first fan-out and queues nothing.
/// </summary>
/// <remarks>
/// <c>/api/v1/events</c> publishes to the application 'default'; <c>/api/v1/applications/{app}/events</c> to that
/// application only, with an operator's or publisher's key or the application's own.
/// </remarks>
[ApiController]
public sealed class EventsController(IMediator mediator) : ControllerBase
{
    [HttpPost("api/v1/events")]
    [Authorize(Policy = AdminKeyHandler.PublishPolicy)]
    [EventSizeLimit]
    [ProducesResponseType<PublishAnswer>(StatusCodes.Status202Accepted)]
    public Task<IActionResult> Publish([FromBody] PublishRequest request, CancellationToken cancellationToken) => PublishAsync(request, null, cancellationToken);

    [HttpPost("api/v1/applications/{app}/events")]
    [Authorize(Policy = AdminKeyHandler.ApplicationPublishPolicy)]
    [EventSizeLimit]
    [ProducesResponseType<PublishAnswer>(StatusCodes.Status202Accepted)]
    public Task<IActionResult> PublishTo(string app, [FromBody] PublishRequest request, CancellationToken cancellationToken) => PublishAsync(request, app, cancellationToken);

    private async Task<IActionResult> PublishAsync(PublishRequest request, string? app, CancellationToken cancellationToken)
    {
        if (Webhooks.Contracts.RoutingKeys.IsReserved(request.Type))
        {
            return Problem(statusCode: StatusCodes.Status400BadRequest, title: "Reserved event type",
                detail: "Types under evt.webhook., evt.source. and evt.gateway. are published only by the gateway itself.");
        }

        var published = await mediator.Send(new PublishOutboundEvent(request.Id, request.Type, request.Data, "http", Application: app), cancellationToken);
        return Accepted(new PublishAnswer(published.Id, published.Subscriptions, published.Duplicate));
    }
}

public sealed record PublishRequest(string? Type, JsonElement? Data, string? Id = null);

public sealed record PublishAnswer(string Id, int Subscriptions, bool Duplicate);

/// <summary>
/// Webhooks:Delivery:MaxEventBytes as the request body limit, set before the body is bound (authorisation is settled
/// before a byte of it is read); a larger body is answered 413.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EventSizeLimitAttribute : Attribute, Microsoft.AspNetCore.Mvc.Filters.IResourceFilter
{
    public void OnResourceExecuting(Microsoft.AspNetCore.Mvc.Filters.ResourceExecutingContext context)
    {
        var limit = context.HttpContext.RequestServices.GetRequiredService<IDeliveryCapabilities>().MaxEventBytes;
        if (context.HttpContext.Request.ContentLength > limit)
        {
            throw new Application.Common.Exceptions.PayloadTooLargeException(limit);
        }

        if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
    }

    public void OnResourceExecuted(Microsoft.AspNetCore.Mvc.Filters.ResourceExecutedContext context)
    {
    }
}
