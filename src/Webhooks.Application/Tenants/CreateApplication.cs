using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Tenants;

public sealed record CreateApplication(string? Name, string? Uid) : IRequest<ApplicationView>;

internal sealed class CreateApplicationValidator : AbstractValidator<CreateApplication>
{
    public CreateApplicationValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200).WithMessage("name is required (at most 200 characters).");
        RuleFor(c => c.Uid).Must(u => u is null || Tenant.UidProblem(u) is null).WithMessage(c => Tenant.UidProblem(c.Uid!) ?? "");
    }
}

internal sealed class CreateApplicationHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<CreateApplication, ApplicationView>
{
    public async Task<ApplicationView> Handle(CreateApplication command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tenant = Tenant.Create(Guid.CreateVersion7(now), command.Uid, command.Name!, now);
        var conflict = new ConflictException($"An application with uid '{tenant.Uid}' already exists.");
        if (await db.Tenants.AnyAsync(t => t.Uid == tenant.Uid, cancellationToken))
        {
            throw conflict;
        }

        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw conflict; // created meanwhile: the unique uid says so
        }

        return ApplicationView.From(tenant);
    }
}
