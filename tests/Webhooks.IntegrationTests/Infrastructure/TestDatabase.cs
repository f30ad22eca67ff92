using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh database per test class, copied from a template migrated once per test run (CREATE DATABASE … TEMPLATE),
/// so classes run in parallel without seeing each other's rows.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static readonly string TemplateName = $"webhooks_tpl_{Environment.ProcessId}";
    private static readonly Lazy<Task> TemplateReady = new(CreateTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(TestServices.PostgresAdmin) { Database = name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        await TemplateReady.Value;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await CreateLock.WaitAsync();
        try
        {
            await AdminAsync($"CREATE DATABASE {name} TEMPLATE {TemplateName}");
        }
        finally
        {
            CreateLock.Release();
        }

        return new TestDatabase(name);
    }

    /// <summary>An empty database with no schema at all (for migration tests).</summary>
    public static async Task<TestDatabase> CreateEmptyAsync()
    {
        var name = "e_" + Guid.NewGuid().ToString("N")[..16];
        await AdminAsync($"CREATE DATABASE {name}");
        return new TestDatabase(name);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // The server may be down at the end of a fault test; the whole test instance is discarded anyway.
        }
    }

    private static async Task CreateTemplateAsync()
    {
        await AdminAsync($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)");
        await AdminAsync($"CREATE DATABASE {TemplateName}");
        var connectionString = new NpgsqlConnectionStringBuilder(TestServices.PostgresAdmin) { Database = TemplateName, Pooling = false }.ConnectionString;
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new DatabaseMigrator(dataSource, new MigrationState(), NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServices.PostgresAdmin) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
        await command.ExecuteNonQueryAsync();
    }
}
