using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Tenants;

/// <summary>A key that may act for the application (publish, subscriptions, deliveries); shown once.</summary>
public sealed record CreateApplicationKey(string Application, string? Name) : IRequest<ApplicationKeyCreated>, IApplicationScoped, ITransactionalCommand;

public sealed record DeleteApplicationKey(string Application, Guid KeyId) : IRequest<Unit>, IApplicationScoped, ITransactionalCommand;

internal sealed class CreateApplicationKeyValidator : AbstractValidator<CreateApplicationKey>
{
    public CreateApplicationKeyValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(200).WithMessage("name is required (at most 200 characters).");
}

internal sealed class CreateApplicationKeyHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<CreateApplicationKey, ApplicationKeyCreated>
{
    public async Task<ApplicationKeyCreated> Handle(CreateApplicationKey command, CancellationToken cancellationToken)
    {
        var tenant = await db.TenantLocked(scope.Id!.Value).Include(t => t.Keys).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Application", command.Application);
        var (key, secret) = tenant.AddKey(command.Name!, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new ApplicationKeyCreated(key.Id, key.Name, secret);
    }
}

internal sealed class DeleteApplicationKeyHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<DeleteApplicationKey, Unit>
{
    public async Task<Unit> Handle(DeleteApplicationKey command, CancellationToken cancellationToken)
    {
        var tenant = await db.TenantLocked(scope.Id!.Value).Include(t => t.Keys).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Application", command.Application);
        if (!tenant.RemoveKey(command.KeyId))
        {
            throw new NotFoundException("Key", command.KeyId);
        }

        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
