using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Sources;
using Webhooks.Domain;
using Webhooks.Domain.Sources;

namespace Webhooks.Infrastructure.Sources;

/// <summary>
/// The source catalog's side of the sources table, in SQL: seeding the configured sources at start-up, and reading
/// every source with its secrets decrypted. The admin use cases change sources through the EF model (the Source
/// aggregate); a trigger bumps source_catalog_version on every change, which each instance's
/// <see cref="DatabaseSourceCatalog"/> polls.
/// </summary>
internal sealed class PostgresSourceStore(NpgsqlDataSource dataSource, IDataProtectionProvider protection, TimeProvider clock) : ISourceProtector
{
    public const string ProtectorPurpose = "Webhooks.Sources.Secrets.v1";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly IDataProtector protector = protection.CreateProtector(ProtectorPurpose);

    public string Protect(string secret) => protector.Protect(secret);

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
                    VALUES ($1, $2, $3::jsonb, $6, $4, $5, $5)
                    ON CONFLICT (name) DO UPDATE SET provider = $2, settings = $3::jsonb, origin = $6, config_hash = $4, updated_at = $5
                    """, cancellationToken, name, options.Provider!.ToLowerInvariant(), Settings(options), protector.Protect(hash), now, Source.FromConfiguration);
                await ExecuteAsync(connection, transaction, "DELETE FROM source_secrets WHERE source_name = $1", cancellationToken, name);
                await InsertSecretsAsync(connection, transaction, name, options.Secrets, now, cancellationToken);
                await ExecuteAsync(connection, transaction, "DELETE FROM source_credentials WHERE source_name = $1", cancellationToken, name);
                foreach (var (credential, value) in options.Backfill?.Credentials() ?? new Dictionary<string, string>())
                {
                    // The backfill's token or key, encrypted like the secrets; never in the settings.
                    await ExecuteAsync(connection, transaction,
                        "INSERT INTO source_credentials (id, source_name, name, protected, hint, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        cancellationToken, Guid.CreateVersion7(now), name, credential, protector.Protect(value), SecretHints.Of(value), now);
                }

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

    /// <summary>A secret or credential in clear, or null when the key that encrypted it is gone.</summary>
    public string? Unprotect(string value)
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
            int source = reader.GetOrdinal("source_name"), id = reader.GetOrdinal("id"), hint = reader.GetOrdinal("hint"),
                created = reader.GetOrdinal("created_at"), expires = reader.GetOrdinal("expires_at"), sealedSecret = reader.GetOrdinal("protected");
            while (await reader.ReadAsync(cancellationToken))
            {
                var list = secrets.TryGetValue(reader.GetString(source), out var found) ? found : secrets[reader.GetString(source)] = [];
                list.Add((new StoredSecret(reader.GetGuid(id), reader.GetString(hint), reader.GetFieldValue<DateTimeOffset>(created),
                    reader.IsDBNull(expires) ? null : reader.GetFieldValue<DateTimeOffset>(expires)), reader.GetString(sealedSecret)));
            }
        }

        var sources = new List<(StoredSource, IReadOnlyList<(StoredSecret, string)>)>();
        await using (var command = new NpgsqlCommand(
            "SELECT name, settings::text AS settings, origin, created_at, updated_at FROM sources WHERE $1::text IS NULL OR name = $1 ORDER BY name",
            connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            int sourceName = reader.GetOrdinal("name"), json = reader.GetOrdinal("settings"), origin = reader.GetOrdinal("origin"),
                created = reader.GetOrdinal("created_at"), updated = reader.GetOrdinal("updated_at");
            while (await reader.ReadAsync(cancellationToken))
            {
                var own = secrets.GetValueOrDefault(reader.GetString(sourceName)) ?? [];
                var settings = SourceSettingsExtensions.FromStoredJson(reader.GetString(json));
                sources.Add((new StoredSource(reader.GetString(sourceName), settings, own.Select(s => s.Item1).ToList(), reader.GetString(origin),
                    reader.GetFieldValue<DateTimeOffset>(created), reader.GetFieldValue<DateTimeOffset>(updated)), own));
            }
        }

        return sources;
    }

    private async Task<bool> WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await change(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return changed;
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
                cancellationToken, id, name, protector.Protect(secret), SecretHints.Of(secret), now);
            ids.Add(id);
        }

        return ids;
    }

    private static string Settings(SourceSettings options) => options.ToStoredJson();

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

/// <summary>A source as the catalog reads it: settings without secrets, and what may be shown of each secret.</summary>
internal sealed record StoredSource(
    string Name, SourceSettings Settings, IReadOnlyList<StoredSecret> Secrets, string Origin, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed record StoredSecret(Guid Id, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
