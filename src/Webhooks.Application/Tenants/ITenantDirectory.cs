namespace Webhooks.Application.Tenants;

/// <summary>Applications looked up by what callers present: an id or uid in a route, a key.</summary>
public interface ITenantDirectory
{
    /// <summary>The application with this id or uid, or null.</summary>
    Task<Guid?> FindAsync(string idOrUid, CancellationToken cancellationToken);

    /// <summary>The application an application key (by its SHA-256) acts for, or null.</summary>
    Task<Guid?> FindByKeyAsync(byte[] keyHash, CancellationToken cancellationToken);
}
