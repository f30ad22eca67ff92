using FluentValidation;

namespace Webhooks.Application.Ingestion.ReceiveWebhook;

internal sealed class ReceiveWebhookValidator : AbstractValidator<ReceiveWebhook>
{
    public const int MaxTopicLength = 256;
    public const int MaxCorrelationIdLength = 128;

    public ReceiveWebhookValidator()
    {
        RuleFor(c => c.Request.Source).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Request.PathTopic)
            .MaximumLength(MaxTopicLength)
            .Matches("^[A-Za-z0-9_.:/-]+$").WithMessage("The topic in the path may hold letters, digits and _ . : / - only.")
            .When(c => c.Request.PathTopic is not null);
        RuleFor(c => c.Request.CorrelationId).NotEmpty().MaximumLength(MaxCorrelationIdLength);
        RuleFor(c => c.Request.Body).NotNull();
    }
}
