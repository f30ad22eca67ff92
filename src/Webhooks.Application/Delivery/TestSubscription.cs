using System.Text.Json;
using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Delivery;

/// <summary>Sends one real, signed, logged request now, whether or not the subscription is active.</summary>
public sealed record TestSubscription(Guid Id, string? Event, JsonElement? Payload) : IRequest<TestSendResult>;

internal sealed class TestSubscriptionHandler(ISubscriptionTester tester) : IRequestHandler<TestSubscription, TestSendResult>
{
    public async Task<TestSendResult> Handle(TestSubscription command, CancellationToken cancellationToken)
    {
        var payload = command.Payload is { ValueKind: not JsonValueKind.Undefined } given ? given : JsonDocument.Parse("""{"test":true}""").RootElement;
        return await tester.SendTestAsync(command.Id, command.Event ?? "webhook.test", payload, cancellationToken)
            ?? throw new NotFoundException("Subscription", command.Id);
    }
}
