using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.Sources;

/// <summary>Removes a secret, never the last one that still verifies deliveries.</summary>
public sealed record RemoveSourceSecret(string Name, Guid SecretId) : IRequest<SourceView>, ITransactionalCommand;

internal sealed class RemoveSourceSecretHandler(IWebhooksDbContext db, TimeProvider clock)
    : IRequestHandler<RemoveSourceSecret, SourceView>
{
    public async Task<SourceView> Handle(RemoveSourceSecret command, CancellationToken cancellationToken)
    {
        // Locked, so two removals at once cannot each leave the other's secret as the last and remove both.
        var (source, _) = await SourceRecords.LoadAsync(db, command.Name, cancellationToken);
        var now = clock.GetUtcNow();
        if (source.Secrets.All(s => s.Id != command.SecretId))
        {
            throw new NotFoundException("Secret", command.SecretId);
        }

        if (!source.RemoveSecret(command.SecretId, now))
        {
            throw new ConflictException("This is the source's last secret: add its replacement first, so deliveries keep verifying.");
        }

        await db.SaveChangesAsync(cancellationToken);
        return SourceView.From(source, now);
    }
}
