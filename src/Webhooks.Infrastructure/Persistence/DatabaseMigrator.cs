using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// Applies the embedded SQL scripts (Persistence/Migrations/NNNN_name.sql) in order, each in its own transaction,
/// recorded in schema_migrations, then Hangfire's storage schema. A session-level advisory lock makes concurrent
/// starts of several instances safe: the first applies, the others wait and then find nothing left to do.
/// </summary>
internal sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, MigrationState state, ILogger<DatabaseMigrator> logger)
{
    private const long AdvisoryLockKey = 0x5745_4248_4f4f_4b53; // "WEBHOOKS"

    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                var version = reader.GetOrdinal("version");
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(version));
                }
            }

            var count = 0;
            foreach (var (version, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = version });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version);
                count++;
            }

            // Hangfire's storage, installed (and upgraded) here, under the same lock, rather than by each server at start.
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, Jobs.HangfireJobs.Schema);

            state.MarkApplied();
            return count;
        }
        finally
        {
            await Execute(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(string, string)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Webhooks.Infrastructure.Persistence.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (name[prefix.Length..^4], reader.ReadToEnd());
            })
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version}")]
    private static partial void LogApplied(ILogger logger, string version);
}

/// <summary>Whether this instance has seen the schema up to date (readiness waits for it).</summary>
internal sealed class MigrationState
{
    private volatile bool applied;

    public bool Applied => applied;

    public void MarkApplied() => applied = true;
}
