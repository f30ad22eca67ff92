using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Tenants;

/// <summary>Deletes an application; its subscriptions (and their deliveries), keys and portal links go with it.</summary>
public sealed record DeleteApplication(string Application) : IRequest<Unit>, IApplicationScoped;

internal sealed class DeleteApplicationHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<DeleteApplication, Unit>
{
    public async Task<Unit> Handle(DeleteApplication command, CancellationToken cancellationToken)
    {
        if (scope.Id == Tenant.DefaultId)
        {
            throw new ConflictException("The application 'default' holds what was made without an application; it cannot be deleted.");
        }

        var tenant = await db.Tenants.FindAsync([scope.Id], cancellationToken) ?? throw new NotFoundException("Application", command.Application);
        db.Tenants.Remove(tenant);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
