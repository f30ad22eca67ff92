using FluentValidation;

namespace Webhooks.Application.Delivery;

internal sealed class CreateSubscriptionValidator : AbstractValidator<CreateSubscription>
{
    public CreateSubscriptionValidator() => SubscriptionRules.Apply(this, c => c.Input, creating: true);
}
