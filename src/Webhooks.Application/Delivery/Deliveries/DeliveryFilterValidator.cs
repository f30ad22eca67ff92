using FluentValidation;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Deliveries;

internal static class DeliveryFilterRules
{
    public static void Apply<T>(AbstractValidator<T> validator, Func<T, DeliveryFilter> filter)
    {
        validator.RuleFor(c => filter(c).Status).Must(s => s is null || DeliveryStatuses.All.Contains(s))
            .WithMessage("status must be pending, delivered, dead or archived.");
        validator.RuleFor(c => filter(c).Event).MaximumLength(200);
    }
}
