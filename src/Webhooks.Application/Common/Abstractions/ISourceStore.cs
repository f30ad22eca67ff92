using Webhooks.Application.Sources;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// The durable list of sources shared by every instance. Secrets go in as plain text and are stored encrypted; they
/// never come back out of this interface, only their hints. Every change reaches each instance's catalog within seconds.
/// </summary>
public interface ISourceStore
{
    Task<IReadOnlyList<StoredSource>> ListAsync(CancellationToken cancellationToken);

    Task<StoredSource?> FindAsync(string name, CancellationToken cancellationToken);

    /// <returns>False when a source of that name exists.</returns>
    Task<bool> CreateAsync(string name, SourceSettings settings, CancellationToken cancellationToken);

    /// <summary>Replaces the settings; the secrets too when <paramref name="settings"/> lists any.</summary>
    /// <returns>False when there is no such source.</returns>
    Task<bool> UpdateAsync(string name, SourceSettings settings, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds a secret; when <paramref name="retirePreviousAt"/> is set, every other secret expires then.</summary>
    /// <returns>The new secret's id, or null when there is no such source.</returns>
    Task<Guid?> AddSecretAsync(string name, string secret, DateTimeOffset? retirePreviousAt, CancellationToken cancellationToken);

    /// <returns>False when there is no such source or secret, or it is the source's last one.</returns>
    Task<bool> RemoveSecretAsync(string name, Guid secretId, CancellationToken cancellationToken);
}

/// <summary>A source as stored: settings without secrets, and what may be shown of each secret.</summary>
public sealed record StoredSource(
    string Name, SourceSettings Settings, IReadOnlyList<StoredSecret> Secrets, string Origin, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record StoredSecret(Guid Id, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
