using FluentValidation;
using Webhooks.Application.Sources;

namespace Webhooks.Application.Admin.Sources;

internal sealed class CreateSourceValidator : AbstractValidator<CreateSource>
{
    public CreateSourceValidator()
    {
        RuleFor(c => c.Source.Name).NotEmpty().WithMessage("name is required: the source's URL segment, [a-z0-9-]+.");
        RuleFor(c => c.Source).Custom((source, context) =>
        {
            foreach (var failure in string.IsNullOrEmpty(source.Name) ? [] : SourceDefinitions.Check(source.Name, source, "sources"))
            {
                context.AddFailure(failure);
            }
        });
    }
}
