using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Admin.Sources;

public sealed record CreateSource(NewSource Source) : IRequest<SourceView>;

internal sealed class CreateSourceHandler(IWebhooksDbContext db, ISourceProtector protector, TimeProvider clock)
    : IRequestHandler<CreateSource, SourceView>
{
    public async Task<SourceView> Handle(CreateSource command, CancellationToken cancellationToken)
    {
        var name = command.Source.Name!;
        var conflict = new ConflictException($"A source named '{name}' already exists; change it with PUT /api/v1/admin/sources/{name}.");
        if (await db.Sources.AnyAsync(s => s.Name == name, cancellationToken))
        {
            throw conflict;
        }

        var now = clock.GetUtcNow();
        var source = Source.Create(name, command.Source.Provider!, command.Source.ToStoredJson(),
            command.Source.Secrets.Select(secret => SourceRecords.NewSecret(secret, protector, now)).ToList(), now);
        SourceRecords.ApplyCredentials(source, command.Source.Backfill, protector, now);
        db.Sources.Add(source);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Created meanwhile by another request: the unique name says so.
            throw conflict;
        }

        return SourceView.From(source, now);
    }
}
