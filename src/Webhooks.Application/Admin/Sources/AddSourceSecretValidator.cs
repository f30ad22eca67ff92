using FluentValidation;

namespace Webhooks.Application.Admin.Sources;

internal sealed class AddSourceSecretValidator : AbstractValidator<AddSourceSecret>
{
    public AddSourceSecretValidator()
    {
        RuleFor(c => c.Secret).NotEmpty().WithMessage("secret is required: the new signing secret the provider was given.");
        RuleFor(c => c.ExpirePreviousAfterSeconds).InclusiveBetween(0, 90 * 86_400)
            .WithMessage("expire_previous_after_seconds must be between 0 and 7776000 (90 days).");
        RuleFor(c => c).Must(c => c.ExpirePreviousAt is null || c.ExpirePreviousAfterSeconds is null)
            .WithMessage("Give expire_previous_at or expire_previous_after_seconds, not both.");
    }
}
