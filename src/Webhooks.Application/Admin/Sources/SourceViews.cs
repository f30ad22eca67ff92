using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Admin.Sources;

public sealed record SourceSecretView(Guid Id, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Active);

public sealed record SourceView(
    string Name, string Provider, bool Enabled, int ToleranceSeconds, long MaxBodyBytes, string? PublicUrl, string? WebhookId,
    string? CertificatePath, string? SignatureHeader, string? TimestampHeader, string? IdHeader, string? EventTypeHeader,
    string? Algorithm, string? Encoding, string? Prefix, string? SignedPayload, TimeSpan? ExpectedEvery,
    IReadOnlyList<SourceSecretView> Secrets, string Origin, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, SourceBackfillView? Backfill = null)
{
    public static SourceView From(Source source, DateTimeOffset now)
    {
        var s = SourceSettingsExtensions.FromStoredJson(source.Settings);
        return new SourceView(
            source.Name, s.Provider ?? source.Provider, s.Enabled ?? true, s.ToleranceSeconds ?? WebhookSource.DefaultToleranceSeconds,
            s.MaxBodyBytes ?? WebhookSource.DefaultMaxBodyBytes, s.PublicUrl, s.WebhookId, s.CertificatePath,
            s.SignatureHeader, s.TimestampHeader, s.IdHeader, s.EventTypeHeader, s.Algorithm, s.Encoding, s.Prefix, s.SignedPayload, s.ExpectedEvery is { } every && every > TimeSpan.Zero ? every : null,
            source.Secrets.OrderBy(x => x.CreatedAt).ThenBy(x => x.Id)
                .Select(x => new SourceSecretView(x.Id, x.Hint, x.CreatedAt, x.ExpiresAt, x.IsActive(now))).ToList(),
            source.Origin, source.CreatedAt, source.UpdatedAt, SourceBackfillView.From(s.Backfill, source.Credentials));
    }
}

/// <summary>What the source use cases share: loading one, and new secrets in the form the aggregate keeps.</summary>
internal static class SourceRecords
{
    /// <summary>
    /// The source with its secrets (tracked, to be changed; its row locked until the caller's transaction ends, so two
    /// changes at once apply one after the other), and its stored settings with the provider filled in.
    /// </summary>
    public static async Task<(Source Source, SourceSettings Settings)> LoadAsync(IWebhooksDbContext db, string name, CancellationToken cancellationToken)
    {
        // The lock first, then a fresh read: a statement that waits for the lock keeps the snapshot it started with, so
        // secrets another change added meanwhile would be missing from a join in that same statement.
        _ = await db.SourceLocked(name).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
        var source = await db.Sources.Include(s => s.Secrets).Include(s => s.Credentials).FirstOrDefaultAsync(s => s.Name == name, cancellationToken)
            ?? throw new NotFoundException("Source", name);
        var settings = SourceSettingsExtensions.FromStoredJson(source.Settings);
        settings.Provider ??= source.Provider;
        return (source, settings);
    }

    public static SourceSecret NewSecret(string secret, Common.Abstractions.ISourceProtector protector, DateTimeOffset now) =>
        SourceSecret.Create(Guid.CreateVersion7(now), protector.Protect(secret), Domain.SecretHints.Of(secret), now);

    /// <summary>Stores the backfill credentials <paramref name="patch"/> sets (encrypted) and removes those it sets to "".</summary>
    public static void ApplyCredentials(Source source, BackfillSettings? patch, Common.Abstractions.ISourceProtector protector, DateTimeOffset now)
    {
        foreach (var (name, value) in patch?.Credentials() ?? new Dictionary<string, string>())
        {
            source.SetCredential(SourceCredential.Create(Guid.CreateVersion7(now), name, protector.Protect(value), Domain.SecretHints.Of(value), now), now);
        }

        foreach (var name in BackfillSettings.Cleared(patch))
        {
            source.RemoveCredential(name, now);
        }
    }
}
