using FluentValidation;
using MediatR;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Admin.Sources;

public sealed record ListSources : IRequest<Page<SourceView>>;

public sealed record GetSource(string Name) : IRequest<SourceView>;

public sealed record CreateSource(NewSource Source) : IRequest<SourceView>;

/// <summary>Applies the fields the patch sets; a patch that lists secrets replaces them all.</summary>
public sealed record UpdateSource(string Name, SourceSettings Patch) : IRequest<SourceView>;

public sealed record DeleteSource(string Name) : IRequest<Unit>;

/// <summary>Rotation: adds <paramref name="Secret"/>; with an expiry the older secrets stop being accepted then.</summary>
public sealed record AddSourceSecret(string Name, string? Secret, DateTimeOffset? ExpirePreviousAt, int? ExpirePreviousAfterSeconds) : IRequest<SourceView>;

public sealed record RemoveSourceSecret(string Name, Guid SecretId) : IRequest<SourceView>;

public sealed record SourceSecretView(Guid Id, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Active);

public sealed record SourceView(
    string Name, string Provider, bool Enabled, int ToleranceSeconds, long MaxBodyBytes, string? PublicUrl, string? WebhookId,
    string? CertificatePath, string? SignatureHeader, string? TimestampHeader, string? IdHeader, string? EventTypeHeader,
    string? Algorithm, string? Encoding, string? Prefix, string? SignedPayload, TimeSpan? ExpectedEvery,
    IReadOnlyList<SourceSecretView> Secrets, string Origin, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SourceView From(StoredSource source, DateTimeOffset now)
    {
        var s = source.Settings;
        return new SourceView(
            source.Name, s.Provider ?? "", s.Enabled ?? true, s.ToleranceSeconds ?? WebhookSource.DefaultToleranceSeconds,
            s.MaxBodyBytes ?? WebhookSource.DefaultMaxBodyBytes, s.PublicUrl, s.WebhookId, s.CertificatePath,
            s.SignatureHeader, s.TimestampHeader, s.IdHeader, s.EventTypeHeader, s.Algorithm, s.Encoding, s.Prefix, s.SignedPayload, s.ExpectedEvery,
            source.Secrets.Select(x => new SourceSecretView(x.Id, x.Hint, x.CreatedAt, x.ExpiresAt, x.ExpiresAt is null || x.ExpiresAt > now)).ToList(),
            source.Origin, source.CreatedAt, source.UpdatedAt);
    }
}

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

internal sealed class AddSourceSecretValidator : AbstractValidator<AddSourceSecret>
{
    public AddSourceSecretValidator()
    {
        RuleFor(c => c.Secret).NotEmpty().WithMessage("secret is required: the new signing secret the provider was given.");
        RuleFor(c => c.ExpirePreviousAfterSeconds).InclusiveBetween(0, 90 * 86_400)
            .WithMessage("expire_previous_after_seconds must be between 0 and 7776000 (90 days).");
        RuleFor(c => c).Must(c => c.ExpirePreviousAt is null || c.ExpirePreviousAfterSeconds is null)
            .WithMessage("Give expire_previous_at or expire_previous_after_seconds, not both.");
    }
}

internal sealed class SourceHandlers(ISourceStore store, TimeProvider clock) :
    IRequestHandler<ListSources, Page<SourceView>>,
    IRequestHandler<GetSource, SourceView>,
    IRequestHandler<CreateSource, SourceView>,
    IRequestHandler<UpdateSource, SourceView>,
    IRequestHandler<DeleteSource, Unit>,
    IRequestHandler<AddSourceSecret, SourceView>,
    IRequestHandler<RemoveSourceSecret, SourceView>
{
    public async Task<Page<SourceView>> Handle(ListSources query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return new Page<SourceView>((await store.ListAsync(cancellationToken)).Select(s => SourceView.From(s, now)).ToList(), null);
    }

    public async Task<SourceView> Handle(GetSource query, CancellationToken cancellationToken) => await View(query.Name, cancellationToken);

    public async Task<SourceView> Handle(CreateSource command, CancellationToken cancellationToken)
    {
        var name = command.Source.Name!;
        if (!await store.CreateAsync(name, command.Source, cancellationToken))
        {
            throw new ConflictException($"A source named '{name}' already exists; change it with PUT /api/v1/admin/sources/{name}.");
        }

        return await View(name, cancellationToken);
    }

    public async Task<SourceView> Handle(UpdateSource command, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(command.Name, cancellationToken) ?? throw new NotFoundException("Source", command.Name);
        var patch = command.Patch;
        if (patch.Provider is { } provider && !string.Equals(provider, current.Settings.Provider, StringComparison.OrdinalIgnoreCase) && patch.Secrets.Count == 0)
        {
            throw new ValidationException("Changing the provider changes how secrets are used: list the new secrets with it.");
        }

        var merged = current.Settings.Merge(patch);
        // The stored settings carry no secrets: without new ones in the patch, the kept secrets are not re-checked.
        var failures = SourceDefinitions.Check(command.Name, merged, "sources")
            .Where(f => patch.Secrets.Count > 0 || !f.Contains(":Secrets", StringComparison.Ordinal)).ToList();
        if (failures.Count > 0)
        {
            throw new ValidationException(failures.Select(f => new FluentValidation.Results.ValidationFailure("source", f)));
        }

        await store.UpdateAsync(command.Name, merged, cancellationToken);
        return await View(command.Name, cancellationToken);
    }

    public async Task<Unit> Handle(DeleteSource command, CancellationToken cancellationToken) =>
        await store.DeleteAsync(command.Name, cancellationToken) ? Unit.Value : throw new NotFoundException("Source", command.Name);

    public async Task<SourceView> Handle(AddSourceSecret command, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(command.Name, cancellationToken) ?? throw new NotFoundException("Source", command.Name);
        var check = SourceDefinitions.Check(command.Name, current.Settings.Merge(new SourceSettings { Secrets = [command.Secret!] }), "sources")
            .Where(f => f.Contains(":Secrets", StringComparison.Ordinal)).ToList();
        if (check.Count > 0)
        {
            throw new ValidationException(check.Select(f => new FluentValidation.Results.ValidationFailure("secret", f)));
        }

        var retireAt = command.ExpirePreviousAt ?? (command.ExpirePreviousAfterSeconds is { } seconds ? clock.GetUtcNow().AddSeconds(seconds) : null);
        _ = await store.AddSecretAsync(command.Name, command.Secret!, retireAt, cancellationToken) ?? throw new NotFoundException("Source", command.Name);
        return await View(command.Name, cancellationToken);
    }

    public async Task<SourceView> Handle(RemoveSourceSecret command, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(command.Name, cancellationToken) ?? throw new NotFoundException("Source", command.Name);
        if (current.Secrets.All(s => s.Id != command.SecretId))
        {
            throw new NotFoundException("Secret", command.SecretId);
        }

        if (!await store.RemoveSecretAsync(command.Name, command.SecretId, cancellationToken))
        {
            throw new ConflictException("This is the source's last secret: add its replacement first, so deliveries keep verifying.");
        }

        return await View(command.Name, cancellationToken);
    }

    private async Task<SourceView> View(string name, CancellationToken cancellationToken) =>
        SourceView.From(await store.FindAsync(name, cancellationToken) ?? throw new NotFoundException("Source", name), clock.GetUtcNow());
}
