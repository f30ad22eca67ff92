using FluentValidation;

namespace Webhooks.Application.Delivery.Subscriptions;

internal sealed class CreateSubscriptionValidator : AbstractValidator<CreateSubscription>
{
    public CreateSubscriptionValidator() => SubscriptionRules.Apply(this, c => c.Input, creating: true);
}
