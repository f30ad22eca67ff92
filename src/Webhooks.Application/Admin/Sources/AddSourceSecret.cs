using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Sources;

namespace Webhooks.Application.Admin.Sources;

/// <summary>Rotation: adds <paramref name="Secret"/>; with an expiry the older secrets stop being accepted then.</summary>
public sealed record AddSourceSecret(string Name, string? Secret, DateTimeOffset? ExpirePreviousAt, int? ExpirePreviousAfterSeconds) : IRequest<SourceView>, ITransactionalCommand;

internal sealed class AddSourceSecretHandler(IWebhooksDbContext db, ISourceProtector protector, TimeProvider clock)
    : IRequestHandler<AddSourceSecret, SourceView>
{
    public async Task<SourceView> Handle(AddSourceSecret command, CancellationToken cancellationToken)
    {
        var (source, settings) = await SourceRecords.LoadAsync(db, command.Name, cancellationToken);
        var check = SourceDefinitions.Check(command.Name, settings.Merge(new SourceSettings { Secrets = [command.Secret!] }), "sources")
            .Where(f => f.Contains(":Secrets", StringComparison.Ordinal)).ToList();
        if (check.Count > 0)
        {
            throw new ValidationException(check.Select(f => new FluentValidation.Results.ValidationFailure("secret", f)));
        }

        var now = clock.GetUtcNow();
        var secret = SourceRecords.NewSecret(command.Secret!, protector, now);
        if (command.ExpirePreviousAfterSeconds is { } seconds)
        {
            source.RotateSecret(secret, TimeSpan.FromSeconds(seconds), now);
        }
        else
        {
            source.RotateSecret(secret, command.ExpirePreviousAt, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return SourceView.From(source, now);
    }
}
