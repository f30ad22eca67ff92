using System.Text.Json;
using FluentValidation;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Intake;

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
