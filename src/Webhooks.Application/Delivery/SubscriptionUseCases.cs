using System.Text.Json;
using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery;

public sealed record CreateSubscription(SubscriptionInput Input) : IRequest<SubscriptionView>;

public sealed record GetSubscription(Guid Id) : IRequest<SubscriptionView>;

public sealed record ListSubscriptions(int? Limit, int? Offset, string? Cursor, bool? IsActive) : IRequest<SubscriptionPage>;

public sealed record UpdateSubscription(Guid Id, SubscriptionInput Patch) : IRequest<SubscriptionView>;

public sealed record DeleteSubscription(Guid Id) : IRequest<Unit>;

public sealed record RotateSubscriptionSecret(Guid Id, int? ExpirePreviousAfterSeconds) : IRequest<SubscriptionView>;

public sealed record GetSubscriptionLogs(Guid Id, int? Limit, string? Cursor) : IRequest<Common.Paging.Page<AttemptLog>>;

public sealed record TestSubscription(Guid Id, string? Event, JsonElement? Payload) : IRequest<TestSendResult>;

public sealed record ReplaySubscription(Guid Id, DateTimeOffset? Since) : IRequest<ReplayResult>;

public sealed record ReplayResult(Guid SubscriptionId, DateTimeOffset Since, int Queued);

/// <summary>Takes an event in for delivery to every matching subscription (idempotent by id).</summary>
public sealed record PublishOutboundEvent(string? Id, string? Type, JsonElement? Data, string Origin, bool InboundOnly = false) : IRequest<PublishedEvent>;

internal static class SubscriptionRules
{
    public static void Apply<T>(AbstractValidator<T> validator, Func<T, SubscriptionInput> input, bool creating)
    {
        validator.RuleFor(c => input(c).Url).NotEmpty().When(_ => creating).WithMessage("url is required.");
        validator.RuleFor(c => input(c).Url).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .When(c => input(c).Url is not null).WithMessage("url must be an absolute http(s) URL.");
        validator.RuleFor(c => input(c).Events).NotEmpty().When(_ => creating).WithMessage("events must list at least one event type or pattern.");
        validator.RuleForEach(c => input(c).Events).Must(EventPatterns.IsValid)
            .WithMessage("'{PropertyValue}' is not an event type or pattern: use segments of letters, digits, '_' or '-' separated by dots, optionally ending in '.*', or '*'.");
        validator.RuleFor(c => input(c).Events).Must(e => e is null || e.Count <= 100).WithMessage("events may list at most 100 types or patterns.");
        validator.RuleFor(c => input(c).RetryCount).InclusiveBetween(0, 10).WithMessage("retry_count must be between 0 and 10.");
        validator.RuleFor(c => input(c).TimeoutSeconds).InclusiveBetween(1, 300).WithMessage("timeout_seconds must be between 1 and 300.");
        validator.RuleFor(c => input(c).SignatureScheme).Must(s => s is null || OutboundSignature.Schemes.Contains(s)).WithMessage("signature_scheme must be standard, legacy or body-hmac.");
        validator.RuleFor(c => input(c).Secret).Must((c, s) => s is null || OutboundSignature.IsValidSecret(input(c).SignatureScheme, s))
            .WithMessage(c => input(c).SignatureScheme == OutboundSignature.BodyHmacScheme
                ? $"secret must be {OutboundSignature.MinBodyHmacSecretLength} to 500 characters without control characters (or leave it out to have one generated)."
                : "secret must be whsec_ followed by the base64 of 24 to 64 random bytes (or leave it out to have one generated).");
        validator.RuleFor(c => input(c).Description).MaximumLength(500);
        validator.RuleFor(c => input(c).Headers).Must(h => h is null || (h.Count <= 20 && h.All(p => IsHeaderName(p.Key) && !Reserved(p.Key) && p.Value.Length <= 1000 && !p.Value.Any(char.IsControl))))
            .WithMessage("headers: at most 20 custom headers with valid names (not Content-Type, User-Agent, Host or the signature headers) and values without control characters.");
    }

    private static bool IsHeaderName(string name) => name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool Reserved(string name) => name.ToLowerInvariant() is "content-type" or "content-length" or "user-agent" or "host" or "webhook-id"
        or "webhook-timestamp" or "webhook-signature" or "x-webhook-id" or "x-event-type" or "x-webhook-event" or "x-webhook-timestamp" or "x-webhook-signature" or "transfer-encoding"
        or "connection";
}

internal sealed class CreateSubscriptionValidator : AbstractValidator<CreateSubscription>
{
    public CreateSubscriptionValidator() => SubscriptionRules.Apply(this, c => c.Input, creating: true);
}

internal sealed class UpdateSubscriptionValidator : AbstractValidator<UpdateSubscription>
{
    public UpdateSubscriptionValidator()
    {
        SubscriptionRules.Apply(this, c => c.Patch, creating: false);
        RuleFor(c => c.Patch.Secret).Null().WithMessage("Rotate secrets with POST /api/v1/subscriptions/{id}/secret/rotate.");
        RuleFor(c => c.Patch.Events).Must(e => e is null || e.Count > 0).WithMessage("events must list at least one event type or pattern.");
    }
}

internal sealed class PublishOutboundEventValidator : AbstractValidator<PublishOutboundEvent>
{
    public PublishOutboundEventValidator()
    {
        RuleFor(c => c.Type).Must(t => t is not null && t != "*" && !t.Contains('*', StringComparison.Ordinal) && EventPatterns.IsValid(t))
            .WithMessage("type is required: dot-separated segments of letters, digits, '_' or '-', e.g. order.created.");
        RuleFor(c => c.Data).Must(d => d is { ValueKind: not JsonValueKind.Undefined }).WithMessage("data is required (any JSON value).");
        RuleFor(c => c.Id).Must(id => id is null || (id.Length is > 0 and <= 200 && !id.Any(char.IsControl))).WithMessage("id must be 1 to 200 printable characters.");
    }
}

internal sealed class TestSubscriptionValidator : AbstractValidator<TestSubscription>
{
    public TestSubscriptionValidator() =>
        RuleFor(c => c.Event).Must(t => t is null || (!t.Contains('*', StringComparison.Ordinal) && EventPatterns.IsValid(t))).WithMessage("event must be an event type such as order.created.");
}

internal sealed class SubscriptionHandlers(IDeliveryStore store, IDestinationGuard guard, ISubscriptionTester tester, IDeliveryCapabilities capabilities, TimeProvider clock) :
    IRequestHandler<CreateSubscription, SubscriptionView>,
    IRequestHandler<GetSubscription, SubscriptionView>,
    IRequestHandler<ListSubscriptions, SubscriptionPage>,
    IRequestHandler<UpdateSubscription, SubscriptionView>,
    IRequestHandler<DeleteSubscription, Unit>,
    IRequestHandler<RotateSubscriptionSecret, SubscriptionView>,
    IRequestHandler<GetSubscriptionLogs, Common.Paging.Page<AttemptLog>>,
    IRequestHandler<TestSubscription, TestSendResult>,
    IRequestHandler<ReplaySubscription, ReplayResult>,
    IRequestHandler<PublishOutboundEvent, PublishedEvent>
{
    public async Task<SubscriptionView> Handle(CreateSubscription command, CancellationToken cancellationToken)
    {
        RequireInbound(command.Input);
        await Guard(command.Input.Url!, cancellationToken);
        var secret = command.Input.Secret ?? OutboundSignature.NewSecret();
        return await store.CreateAsync(command.Input, secret, cancellationToken) with { Secret = secret };
    }

    public async Task<SubscriptionView> Handle(GetSubscription query, CancellationToken cancellationToken) =>
        await store.FindAsync(query.Id, cancellationToken) ?? throw new NotFoundException("Subscription", query.Id);

    public Task<SubscriptionPage> Handle(ListSubscriptions query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? 50;
        if (limit is < 1 or > 100 || query.Offset is < 0)
        {
            throw new ValidationException("limit must be between 1 and 100 and offset not negative.");
        }

        return store.ListAsync(limit, query.Offset ?? 0, Common.Paging.Cursor.Decode(query.Cursor), query.IsActive, cancellationToken);
    }

    public async Task<SubscriptionView> Handle(UpdateSubscription command, CancellationToken cancellationToken)
    {
        RequireInbound(command.Patch);
        if (command.Patch.Url is { } url)
        {
            await Guard(url, cancellationToken);
        }

        return await store.UpdateAsync(command.Id, command.Patch, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
    }

    public async Task<Unit> Handle(DeleteSubscription command, CancellationToken cancellationToken) =>
        await store.DeleteAsync(command.Id, cancellationToken) ? Unit.Value : throw new NotFoundException("Subscription", command.Id);

    public async Task<SubscriptionView> Handle(RotateSubscriptionSecret command, CancellationToken cancellationToken)
    {
        if (command.ExpirePreviousAfterSeconds is < 0 or > 7 * 86_400)
        {
            throw new ValidationException("expire_previous_after_seconds must be between 0 and 604800 (7 days).");
        }

        var secret = OutboundSignature.NewSecret();
        var overlap = TimeSpan.FromSeconds(command.ExpirePreviousAfterSeconds ?? 86_400);
        var view = await store.RotateSecretAsync(command.Id, secret, overlap, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        return view with { Secret = secret };
    }

    public async Task<Common.Paging.Page<AttemptLog>> Handle(GetSubscriptionLogs query, CancellationToken cancellationToken)
    {
        _ = await store.FindAsync(query.Id, cancellationToken) ?? throw new NotFoundException("Subscription", query.Id);
        var (items, next) = await store.LogsAsync(query.Id, Common.Paging.Cursor.Limit(query.Limit), Common.Paging.Cursor.Decode(query.Cursor), cancellationToken);
        return new Common.Paging.Page<AttemptLog>(items, next is { } id ? Common.Paging.Cursor.Encode(id) : null);
    }

    public async Task<TestSendResult> Handle(TestSubscription command, CancellationToken cancellationToken)
    {
        var payload = command.Payload is { ValueKind: not JsonValueKind.Undefined } given ? given : JsonDocument.Parse("""{"test":true}""").RootElement;
        return await tester.SendTestAsync(command.Id, command.Event ?? "webhook.test", payload, cancellationToken)
            ?? throw new NotFoundException("Subscription", command.Id);
    }

    public async Task<ReplayResult> Handle(ReplaySubscription command, CancellationToken cancellationToken)
    {
        var subscription = await store.FindAsync(command.Id, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        var since = command.Since ?? subscription.DisabledAt ?? clock.GetUtcNow().AddDays(-1);
        var queued = await store.ReplayAsync(command.Id, since, cancellationToken) ?? throw new NotFoundException("Subscription", command.Id);
        return new ReplayResult(command.Id, since, queued);
    }

    public Task<PublishedEvent> Handle(PublishOutboundEvent command, CancellationToken cancellationToken) =>
        store.IntakeAsync(new OutboundEvent(command.Id ?? "evt_" + Guid.CreateVersion7().ToString("N"), command.Type!, command.Data!.Value, command.Origin), command.InboundOnly, cancellationToken);

    private void RequireInbound(SubscriptionInput input)
    {
        if (input.IncludeInbound == true && !capabilities.InboundEvents)
        {
            throw new ValidationException("include_inbound needs Webhooks:Delivery:ConsumeInboundEvents=true on the service; it is off, so no inbound event would ever arrive.");
        }
    }

    private async Task Guard(string url, CancellationToken cancellationToken)
    {
        if (await guard.RefuseAsync(url, cancellationToken) is { } reason)
        {
            throw new ValidationException(reason);
        }
    }
}
