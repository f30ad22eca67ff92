using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Application.Backfill;
using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;
using Webhooks.Infrastructure.Sources;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// The backfill's side of the database, in SQL: the sources with a Backfill section and their decrypted credentials,
/// each source's run state (a lease per run, so instances never run one source at once), the GitHub deliveries asked
/// for, the inbox's idempotency keys, and the schedule each run is claimed from once across instances.
/// </summary>
internal sealed class PostgresBackfillStore(NpgsqlDataSource dataSource, PostgresSourceStore sources) : IBackfillStore
{
    /// <summary>This process, as the holder of the leases it takes.</summary>
    private readonly Guid process = Guid.NewGuid();

    /// <summary>The sources whose run is going on in this process now.</summary>
    private readonly ConcurrentDictionary<string, byte> running = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<BackfillSource>> SourcesAsync(string? name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var credentials = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT source_name, name, protected FROM source_credentials WHERE $1::text IS NULL OR source_name = $1", connection))
        {
            command.Parameters.Add(Text(name));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var own = credentials.TryGetValue(reader.GetString(0), out var found) ? found : credentials[reader.GetString(0)] = new(StringComparer.Ordinal);
                own[reader.GetString(1)] = sources.Unprotect(reader.GetString(2));
            }
        }

        var result = new List<BackfillSource>();
        await using (var command = new NpgsqlCommand(
            "SELECT name, settings::text FROM sources WHERE settings -> 'Backfill' IS NOT NULL AND ($1::text IS NULL OR name = $1) ORDER BY name", connection))
        {
            command.Parameters.Add(Text(name));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var settings = SourceSettingsExtensions.FromStoredJson(reader.GetString(1));
                if (settings.Backfill is not { } backfill || !ProviderNames.TryParse(settings.Provider, out var provider))
                {
                    continue;
                }

                var own = credentials.GetValueOrDefault(reader.GetString(0));
                backfill.Token = own?.GetValueOrDefault(SourceCredential.Token);
                backfill.ApiKey = own?.GetValueOrDefault(SourceCredential.ApiKey);
                backfill.PrivateKey = own?.GetValueOrDefault(SourceCredential.PrivateKey);
                result.Add(new BackfillSource(reader.GetString(0), provider, settings.Enabled ?? true, backfill));
            }
        }

        return result;
    }

    public async Task<BackfillLease?> StartAsync(string source, DateTimeOffset now, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        if (!running.TryAdd(source, 0))
        {
            return null; // this process runs it already (the scheduler and an operator's "run now")
        }

        try
        {
            // A lease of this process's whose run is not going on here was left by a run the database's outage cut
            // short (its FinishAsync could not reach the database): taken over at once, not after it lapses, so the
            // run right after the outage is not passed over as busy.
            await using var command = dataSource.CreateCommand("""
                INSERT INTO backfill_state AS s (source, leased_until, leased_by, last_run_at) VALUES ($1, $2 + $3, $4, $2)
                ON CONFLICT (source) DO UPDATE SET leased_until = excluded.leased_until, leased_by = excluded.leased_by, last_run_at = excluded.last_run_at
                    WHERE s.leased_until IS NULL OR s.leased_until <= $2 OR s.leased_by = $4
                RETURNING covered_until, paused_until, failed_runs_in_a_row
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = source });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = leaseFor });
            command.Parameters.Add(new NpgsqlParameter { Value = process });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return new BackfillLease(At(reader, 0), At(reader, 1), reader.GetInt32(2));
            }
        }
        catch
        {
            running.TryRemove(source, out _);
            throw;
        }

        running.TryRemove(source, out _);
        return null;
    }

    public async Task FinishAsync(BackfillRunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("""
                UPDATE backfill_state SET leased_until = NULL, leased_by = NULL, last_run_at = $2, last_finished_at = $3, last_outcome = $4, last_error = $5,
                       found = $6, recovered = $7, skipped = $8, covered_until = $9, paused_until = $10, failed_runs_in_a_row = $11,
                       runs = runs + 1, recovered_total = recovered_total + $7
                WHERE source = $1
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = run.Source });
            command.Parameters.Add(new NpgsqlParameter { Value = run.StartedAt });
            command.Parameters.Add(new NpgsqlParameter { Value = run.FinishedAt });
            command.Parameters.Add(new NpgsqlParameter { Value = run.Outcome });
            command.Parameters.Add(Text(run.Error));
            command.Parameters.Add(new NpgsqlParameter { Value = run.Found });
            command.Parameters.Add(new NpgsqlParameter { Value = run.Recovered });
            command.Parameters.Add(new NpgsqlParameter { Value = run.Skipped });
            command.Parameters.Add(Time(run.CoveredUntil));
            command.Parameters.Add(Time(run.PausedUntil));
            command.Parameters.Add(new NpgsqlParameter { Value = run.FailedRunsInARow });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            running.TryRemove(run.Source, out _);
        }
    }

    public Task<IReadOnlySet<string>> StoredAsync(string source, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        // One lookup on the inbox's unique (source, idempotency_key) index.
        FoundAsync("SELECT idempotency_key FROM inbox_messages WHERE source = $1 AND idempotency_key = ANY($2)", source, keys, cancellationToken);

    public Task<IReadOnlySet<string>> RequestedAsync(string source, IReadOnlyCollection<string> deliveryGuids, CancellationToken cancellationToken) =>
        FoundAsync("SELECT guid FROM backfill_redeliveries WHERE source = $1 AND guid = ANY($2)", source, deliveryGuids, cancellationToken);

    public async Task RecordRequestedAsync(string source, string deliveryGuid, long deliveryId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO backfill_redeliveries (source, guid, delivery_id, requested_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (source, guid) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryGuid });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetRequestsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM backfill_redeliveries WHERE requested_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = before });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BackfillState>> StatesAsync(string? source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT source, last_run_at, last_finished_at, last_outcome, last_error, found, recovered, skipped, failed_runs_in_a_row,
                   covered_until, paused_until, coalesce(leased_until > $2, false), runs, recovered_total
            FROM backfill_state WHERE $1::text IS NULL OR source = $1 ORDER BY source
            """);
        command.Parameters.Add(Text(source));
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<BackfillState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new BackfillState(
                reader.GetString(0), At(reader, 1), At(reader, 2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), At(reader, 9), At(reader, 10), reader.GetBoolean(11),
                reader.GetInt64(12), reader.GetInt64(13)));
        }

        return states;
    }

    /// <summary>
    /// Claims the next run of the schedule: true for the one instance whose claim finds it due — or, with
    /// <paramref name="downSince"/>, finds no run claimed since this instance saw the database go down (one run right
    /// after an outage, across instances). The next run is then due <paramref name="every"/> later.
    /// </summary>
    public async Task<bool> ClaimRunAsync(DateTimeOffset now, TimeSpan every, DateTimeOffset? downSince, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE backfill_schedule SET due_at = $1 + $2, claimed_at = $1
            WHERE id = 1 AND (due_at <= $1 OR ($3::timestamptz IS NOT NULL AND (claimed_at IS NULL OR claimed_at < $3)))
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = every });
        command.Parameters.Add(Time(downSince));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<IReadOnlySet<string>> FoundAsync(string sql, string source, IReadOnlyCollection<string> values, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (values.Count == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private static DateTimeOffset? At(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
