using System.Data;
using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using DbUp.Postgresql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>
/// The schema: the embedded SQL scripts (Persistence/Migrations/NNNN_name.sql) applied in order by DbUp, each in its own
/// transaction and recorded in schema_migrations (the journal the gateway has always kept, so existing databases carry
/// on), then Hangfire's storage schema. A session-level advisory lock held around both makes concurrent starts of
/// several instances safe: the first applies, the others wait and then find nothing left to do.
/// </summary>
internal sealed class DatabaseMigrator(NpgsqlDataSource dataSource, MigrationState state, ILogger<DatabaseMigrator> logger)
{
    private const long AdvisoryLockKey = 0x5745_4248_4f4f_4b53; // "WEBHOOKS"

    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            var upgrade = DeployChanges.To
                .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
                .WithScripts(Scripts.Select(s => new SqlScript(s.Version, s.Sql)))
                .JournalTo((connections, log) => new SchemaMigrationsJournal(connections))
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .WithExecutionTimeout(TimeSpan.FromMinutes(5))
                .LogTo(logger)
                .Build();
            var result = await Task.Run(upgrade.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
            }

            // Hangfire's storage, installed (and upgraded) here, under the same lock, rather than by each server at start.
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, Jobs.HangfireJobs.Schema);

            state.MarkSchemaCurrent();
            return result.Scripts.Count();
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>
    /// Whether every script is already applied (someone else migrated: a pipeline's one-off <c>migrate</c>); marks the
    /// state applied when so.
    /// </summary>
    public async Task<bool> CheckAppliedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT to_regclass('schema_migrations') IS NOT NULL AND (SELECT count(*) FROM schema_migrations WHERE version = ANY ($1)) = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = Scripts.Select(s => s.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)Scripts.Count });
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            state.MarkSchemaCurrent();
            return true;
        }

        return false;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
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

    /// <summary>DbUp's journal over schema_migrations (version, applied_at): the table earlier versions of the gateway wrote.</summary>
    private sealed class SchemaMigrationsJournal(Func<IConnectionManager> connections) : IJournal
    {
        public string[] GetExecutedScripts() => connections().ExecuteCommandsWithManagedConnection(command =>
        {
            if (!Exists(command))
            {
                return [];
            }

            using var read = command();
            read.CommandText = "SELECT version FROM schema_migrations ORDER BY version";
            using var reader = read.ExecuteReader();
            var versions = new List<string>();
            while (reader.Read())
            {
                versions.Add(reader.GetString(0));
            }

            return versions.ToArray();
        });

        public void StoreExecutedScript(SqlScript script, Func<IDbCommand> command)
        {
            using var insert = command();
            insert.CommandText = "INSERT INTO schema_migrations (version) VALUES (@version)";
            var version = insert.CreateParameter();
            version.ParameterName = "version";
            version.Value = script.Name;
            insert.Parameters.Add(version);
            insert.ExecuteNonQuery();
        }

        public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> command)
        {
            using var create = command();
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
            create.ExecuteNonQuery();
        }

        private static bool Exists(Func<IDbCommand> command)
        {
            using var check = command();
            check.CommandText = "SELECT to_regclass('schema_migrations') IS NOT NULL";
            return check.ExecuteScalar() is true;
        }
    }
}

/// <summary>
/// Whether this instance may work: the schema is up to date (it migrated, or saw a migration done elsewhere) and the
/// configured sources are seeded and loaded. Readiness, the relay and the workers wait for it.
/// </summary>
internal sealed class MigrationState
{
    private volatile bool schemaCurrent;
    private volatile bool sourcesLoaded;

    public bool SchemaCurrent => schemaCurrent;

    public bool Applied => schemaCurrent && sourcesLoaded;

    public void MarkSchemaCurrent() => schemaCurrent = true;

    public void MarkSourcesLoaded() => sourcesLoaded = true;
}
