using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Sources;

namespace Webhooks.Infrastructure.Sources;

/// <summary>
/// Sources and their encrypted secrets in PostgreSQL. Every write bumps source_catalog_version in its transaction,
/// which each instance's <see cref="DatabaseSourceCatalog"/> polls; this instance's catalog reloads at once.
/// </summary>
internal sealed class PostgresSourceStore(NpgsqlDataSource dataSource, IDataProtectionProvider protection, TimeProvider clock) : ISourceStore
{
    public const string ProtectorPurpose = "Webhooks.Sources.Secrets.v1";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly IDataProtector protector = protection.CreateProtector(ProtectorPurpose);

    /// <summary>Set by the catalog so that this instance sees its own changes without waiting for a poll.</summary>
    public Func<CancellationToken, Task>? Changed { get; set; }

    public async Task<IReadOnlyList<StoredSource>> ListAsync(CancellationToken cancellationToken) =>
        (await LoadAsync(null, cancellationToken)).Select(s => s.Source).ToList();

    public async Task<StoredSource?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await LoadAsync(name, cancellationToken)).Select(s => s.Source).FirstOrDefault();

    public Task<bool> CreateAsync(string name, SourceSettings settings, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var inserted = await ExecuteAsync(connection, transaction, """
                INSERT INTO sources (name, provider, settings, origin, created_at, updated_at)
                VALUES ($1, $2, $3::jsonb, 'api', $4, $4) ON CONFLICT (name) DO NOTHING
                """, cancellationToken, name, settings.Provider!.ToLowerInvariant(), Settings(settings), now);
            if (inserted == 0)
            {
                return false;
            }

            await InsertSecretsAsync(connection, transaction, name, settings.Secrets, now, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<bool> UpdateAsync(string name, SourceSettings settings, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var updated = await ExecuteAsync(connection, transaction,
                "UPDATE sources SET provider = $2, settings = $3::jsonb, updated_at = $4 WHERE name = $1",
                cancellationToken, name, settings.Provider!.ToLowerInvariant(), Settings(settings), now);
            if (updated == 0)
            {
                return false;
            }

            if (settings.Secrets.Count > 0)
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM source_secrets WHERE source_name = $1", cancellationToken, name);
                await InsertSecretsAsync(connection, transaction, name, settings.Secrets, now, cancellationToken);
            }

            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await ExecuteAsync(connection, transaction, "DELETE FROM sources WHERE name = $1", cancellationToken, name) > 0, cancellationToken);

    public async Task<Guid?> AddSecretAsync(string name, string secret, DateTimeOffset? retirePreviousAt, CancellationToken cancellationToken)
    {
        Guid? id = null;
        await WriteAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            if (await ExecuteAsync(connection, transaction, "UPDATE sources SET updated_at = $2 WHERE name = $1", cancellationToken, name, now) == 0)
            {
                return false;
            }

            if (retirePreviousAt is { } at)
            {
                await ExecuteAsync(connection, transaction,
                    "UPDATE source_secrets SET expires_at = LEAST(COALESCE(expires_at, $2), $2) WHERE source_name = $1",
                    cancellationToken, name, at);
            }

            id = (await InsertSecretsAsync(connection, transaction, name, [secret], now, cancellationToken))[0];
            return true;
        }, cancellationToken);
        return id;
    }

    public Task<bool> RemoveSecretAsync(string name, Guid secretId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            // Never leave a source without a secret it can verify with: that would turn away every delivery.
            var removed = await ExecuteAsync(connection, transaction, """
                DELETE FROM source_secrets
                WHERE source_name = $1 AND id = $2
                  AND EXISTS (SELECT 1 FROM source_secrets o WHERE o.source_name = $1 AND o.id <> $2 AND (o.expires_at IS NULL OR o.expires_at > now()))
                """, cancellationToken, name, secretId);
            return removed > 0;
        }, cancellationToken);

    /// <summary>
    /// Writes the configured sources whose configuration is new or changed since it was last seeded; a source left
    /// as configured keeps whatever the admin API did to it since. Runs under a lock, so instances starting together
    /// seed once, and the first of them creates the Data Protection key every other instance then uses.
    /// </summary>
    public async Task<int> SeedAsync(IReadOnlyDictionary<string, SourceSettings> configured, CancellationToken cancellationToken)
    {
        var seeded = 0;
        await WriteAsync(async (connection, transaction) =>
        {
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(5745424853524353)", cancellationToken);
            _ = protector.Protect("key-ring");
            var now = clock.GetUtcNow();
            foreach (var (name, options) in configured)
            {
                var hash = Fingerprint(options);
                await using var read = new NpgsqlCommand("SELECT config_hash FROM sources WHERE name = $1 FOR UPDATE", connection, transaction);
                read.Parameters.Add(new NpgsqlParameter { Value = name });
                var existing = await read.ExecuteScalarAsync(cancellationToken);
                if (existing is string known && Unprotect(known) == hash)
                {
                    continue;
                }

                await ExecuteAsync(connection, transaction, """
                    INSERT INTO sources (name, provider, settings, origin, config_hash, created_at, updated_at)
                    VALUES ($1, $2, $3::jsonb, 'configuration', $4, $5, $5)
                    ON CONFLICT (name) DO UPDATE SET provider = $2, settings = $3::jsonb, origin = 'configuration', config_hash = $4, updated_at = $5
                    """, cancellationToken, name, options.Provider!.ToLowerInvariant(), Settings(options), protector.Protect(hash), now);
                await ExecuteAsync(connection, transaction, "DELETE FROM source_secrets WHERE source_name = $1", cancellationToken, name);
                await InsertSecretsAsync(connection, transaction, name, options.Secrets, now, cancellationToken);
                seeded++;
            }

            return seeded > 0;
        }, cancellationToken);
        return seeded;
    }

    public async Task<long> VersionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM source_catalog_version WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every source with its secrets decrypted, for the catalog, and the catalog version they reflect.</summary>
    public async Task<(long Version, IReadOnlyList<(StoredSource Source, IReadOnlyList<(StoredSecret Secret, string? Plain)> Secrets)> Sources)> LoadDecryptedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var version = new NpgsqlCommand("SELECT version FROM source_catalog_version WHERE id = 1", connection, transaction);
        var at = (long)(await version.ExecuteScalarAsync(cancellationToken))!;
        var rows = await ReadAsync(connection, transaction, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (at, rows.Select(r => (r.Source, (IReadOnlyList<(StoredSecret, string?)>)r.Protected.Select(p => (p.Secret, Unprotect(p.Protected))).ToList())).ToList());
    }

    private string? Unprotect(string value)
    {
        try
        {
            return protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null; // The key that encrypted it is gone: the catalog reports the secret as unusable.
        }
    }

    private async Task<IReadOnlyList<(StoredSource Source, IReadOnlyList<(StoredSecret Secret, string Protected)> Protected)>> LoadAsync(string? name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, name, cancellationToken);
    }

    private static async Task<IReadOnlyList<(StoredSource Source, IReadOnlyList<(StoredSecret Secret, string Protected)> Protected)>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string? name, CancellationToken cancellationToken)
    {
        var secrets = new Dictionary<string, List<(StoredSecret, string)>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT source_name, id, hint, created_at, expires_at, protected FROM source_secrets WHERE $1::text IS NULL OR source_name = $1 ORDER BY created_at, id",
            connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var list = secrets.TryGetValue(reader.GetString(0), out var found) ? found : secrets[reader.GetString(0)] = [];
                list.Add((new StoredSecret(reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)), reader.GetString(5)));
            }
        }

        var sources = new List<(StoredSource, IReadOnlyList<(StoredSecret, string)>)>();
        await using (var command = new NpgsqlCommand(
            "SELECT name, settings::text, origin, created_at, updated_at FROM sources WHERE $1::text IS NULL OR name = $1 ORDER BY name",
            connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var own = secrets.GetValueOrDefault(reader.GetString(0)) ?? [];
                var settings = JsonSerializer.Deserialize<SourceSettings>(reader.GetString(1), Json) ?? new SourceSettings();
                sources.Add((new StoredSource(reader.GetString(0), settings, own.Select(s => s.Item1).ToList(), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)), own));
            }
        }

        return sources;
    }

    private async Task<bool> WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> change, CancellationToken cancellationToken)
    {
        bool changed;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            changed = await change(connection, transaction);
            if (!changed)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, "UPDATE source_catalog_version SET version = version + 1 WHERE id = 1", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (Changed is { } notify)
        {
            await notify(cancellationToken);
        }

        return true;
    }

    private async Task<IReadOnlyList<Guid>> InsertSecretsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string name, IEnumerable<string> secrets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        foreach (var secret in secrets)
        {
            var id = Guid.CreateVersion7(now);
            await ExecuteAsync(connection, transaction,
                "INSERT INTO source_secrets (id, source_name, protected, hint, created_at) VALUES ($1, $2, $3, $4, $5)",
                cancellationToken, id, name, protector.Protect(secret), Hint(secret), now);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>At most the last 4 characters, and none of a secret too short to spare them.</summary>
    public static string Hint(string secret) => secret.Length >= 16 ? "…" + secret[^4..] : "…";

    private static string Settings(SourceSettings options) => JsonSerializer.Serialize(options.WithoutSecrets(), Json);

    /// <summary>
    /// Tells whether a configured definition changed since it was seeded (secrets included, so rotating in
    /// configuration re-seeds); stored encrypted, so the database never holds anything derived from a secret in clear.
    /// </summary>
    private static string Fingerprint(SourceSettings options) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(options, Json))));

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
