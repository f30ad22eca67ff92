using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.Sources;

public sealed record DeleteSource(string Name) : IRequest<Unit>;

/// <summary>Deletes the source; its secrets go with it (the foreign key cascades).</summary>
internal sealed class DeleteSourceHandler(IWebhooksDbContext db) : IRequestHandler<DeleteSource, Unit>
{
    public async Task<Unit> Handle(DeleteSource command, CancellationToken cancellationToken)
    {
        var source = await db.Sources.FindAsync([command.Name], cancellationToken) ?? throw new NotFoundException("Source", command.Name);
        source.Remove();
        db.Sources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
