using FluentValidation;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Subscriptions;

internal sealed class TestSubscriptionValidator : AbstractValidator<TestSubscription>
{
    public TestSubscriptionValidator() =>
        RuleFor(c => c.Event).Must(t => t is null || (!t.Contains('*', StringComparison.Ordinal) && EventPatterns.IsValid(t))).WithMessage("event must be an event type such as order.created.");
}
