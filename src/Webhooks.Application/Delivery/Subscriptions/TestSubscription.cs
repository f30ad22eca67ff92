using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using System.Text.Json;
using MediatR;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Delivery.Sending;
using Webhooks.Application.Tenants;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>Sends one real, signed, logged request now, whether or not the subscription is active.</summary>
public sealed record TestSubscription(Guid Id, string? Event, JsonElement? Payload, string? Application = null) : IRequest<TestSendResult>, IApplicationScoped;

internal sealed class TestSubscriptionHandler(IWebhooksDbContext db, ApplicationScope scope, IDeliveryClaims endpoints, IEndpointSender sender, IDeliveryResultStore log, TimeProvider clock)
    : IRequestHandler<TestSubscription, TestSendResult>
{
    public async Task<TestSendResult> Handle(TestSubscription command, CancellationToken cancellationToken)
    {
        var payload = command.Payload is { ValueKind: not JsonValueKind.Undefined } given ? given : JsonDocument.Parse("""{"test":true}""").RootElement;
        var eventType = command.Event ?? "webhook.test";
        var now = clock.GetUtcNow();
        var application = await db.Subscriptions.Where(s => s.Id == command.Id).Select(s => (Guid?)s.ApplicationId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Subscription", command.Id);
        scope.Require(application, "Subscription", command.Id);
        var endpoint = await endpoints.EndpointAsync(command.Id, now, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);

        var messageId = "msg_test_" + Guid.CreateVersion7(now).ToString("N");
        var body = DeliveryEnvelope.Write(messageId, eventType, now, command.Id, 1, payload);
        var outcome = await sender.SendAsync(endpoint, messageId, eventType, body, bypassBreaker: true, cancellationToken);
        var success = outcome.StatusCode is >= 200 and < 300;
        var error = outcome.Error ?? (success ? null : $"HTTP {outcome.StatusCode}");
        await log.LogTestAsync(command.Id, eventType, outcome, error, System.Text.Encoding.UTF8.GetString(body), now, cancellationToken);
        return new TestSendResult(success, outcome.StatusCode, outcome.ResponseTimeMs, outcome.ResponseBody, error);
    }
}
