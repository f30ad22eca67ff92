using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Sources;

namespace Webhooks.Application.Admin.Sources;

/// <summary>Applies the fields the patch sets; a patch that lists secrets replaces them all.</summary>
public sealed record UpdateSource(string Name, SourceSettings Patch) : IRequest<SourceView>, ITransactionalCommand;

internal sealed class UpdateSourceHandler(IWebhooksDbContext db, ISourceProtector protector, TimeProvider clock)
    : IRequestHandler<UpdateSource, SourceView>
{
    public async Task<SourceView> Handle(UpdateSource command, CancellationToken cancellationToken)
    {
        var (source, current) = await SourceRecords.LoadAsync(db, command.Name, cancellationToken);
        var patch = command.Patch;
        if (patch.Provider is { } provider && !string.Equals(provider, current.Provider, StringComparison.OrdinalIgnoreCase) && patch.Secrets.Count == 0)
        {
            throw new ValidationException("Changing the provider changes how secrets are used: list the new secrets with it.");
        }

        var merged = current.Merge(patch);
        var keptCredentials = source.Credentials.Select(c => c.Name).Except(BackfillSettings.Cleared(patch.Backfill)).ToList();
        // The stored settings carry no secrets: without new ones in the patch, the kept secrets are not re-checked.
        var failures = SourceDefinitions.Check(command.Name, merged, "sources", keptCredentials)
            .Where(f => patch.Secrets.Count > 0 || !f.Contains(":Secrets", StringComparison.Ordinal)).ToList();
        if (failures.Count > 0)
        {
            throw new ValidationException(failures.Select(f => new FluentValidation.Results.ValidationFailure("source", f)));
        }

        var now = clock.GetUtcNow();
        source.Change(merged.Provider!, merged.ToStoredJson(), patch.Secrets.Select(secret => SourceRecords.NewSecret(secret, protector, now)).ToList(), now);
        SourceRecords.ApplyCredentials(source, patch.Backfill, protector, now);
        await db.SaveChangesAsync(cancellationToken);
        return SourceView.From(source, now);
    }
}
