using FluentValidation;

namespace Webhooks.Application.Delivery.Subscriptions;

internal sealed class UpdateSubscriptionValidator : AbstractValidator<UpdateSubscription>
{
    public UpdateSubscriptionValidator()
    {
        SubscriptionRules.Apply(this, c => c.Patch, creating: false);
        RuleFor(c => c.Patch.Secret).Null().WithMessage("Rotate secrets with POST /api/v1/subscriptions/{id}/secret/rotate.");
        RuleFor(c => c.Patch.Events).Must(e => e is null || e.Count > 0).WithMessage("events must list at least one event type or pattern.");
    }
}
