using Npgsql;
using Webhooks.Application.Tenants;

namespace Webhooks.Infrastructure.Tenants;

/// <summary>Applications by id, uid or key hash: one indexed query each, without a DbContext (every scoped request asks).</summary>
internal sealed class PostgresTenantDirectory(NpgsqlDataSource dataSource) : ITenantDirectory
{
    public async Task<Guid?> FindAsync(string idOrUid, CancellationToken cancellationToken)
    {
        await using var command = Guid.TryParse(idOrUid, out var id)
            ? dataSource.CreateCommand("SELECT id FROM applications WHERE id = $1")
            : dataSource.CreateCommand("SELECT id FROM applications WHERE uid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.TryParse(idOrUid, out id) ? id : idOrUid });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid found ? found : null;
    }

    public async Task<Guid?> FindByKeyAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT application_id FROM application_keys WHERE key_hash = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = keyHash });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid found ? found : null;
    }
}
