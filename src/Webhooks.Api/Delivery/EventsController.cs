using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Application.Delivery;
using Webhooks.Infrastructure.Delivery;

namespace Webhooks.Api.Delivery;

/// <summary>
/// Internal services publish an event for outbound delivery (Bearer: the admin key or one of
/// Webhooks:Delivery:PublisherKeys). 202 once the event and its deliveries are stored; the same id again is answered
/// with the first fan-out and queues nothing.
/// </summary>
[ApiController]
[Route("api/v1/events")]
public sealed class EventsController(IMediator mediator, IConfiguration configuration, IOptions<DeliveryOptions> options) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> Publish([FromBody] PublishRequest request, CancellationToken cancellationToken)
    {
        if (!Authorized())
        {
            return Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Send Authorization: Bearer with the admin key or a publisher key (Webhooks:Delivery:PublisherKeys).");
        }

        var published = await mediator.Send(new PublishOutboundEvent(request.Id, request.Type, request.Data, "http"), cancellationToken);
        return Accepted(new PublishAnswer(published.Id, published.Subscriptions, published.Duplicate));
    }

    private bool Authorized()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        var keys = options.Value.PublisherKeys.Append(configuration["Webhooks:Admin:ApiKey"]).Where(k => !string.IsNullOrEmpty(k));
        var match = false;
        foreach (var key in keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(Encoding.UTF8.GetBytes(key!)));
        }

        return match;
    }
}

public sealed record PublishRequest(string? Type, JsonElement? Data, string? Id = null);

public sealed record PublishAnswer(string Id, int Subscriptions, bool Duplicate);
