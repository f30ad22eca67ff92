using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Webhooks.Infrastructure.Persistence;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_FromFourInstancesAtOnce_AppliesEachScriptExactlyOnce()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new DatabaseMigrator(dataSource, new MigrationState(), NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None)));

        applied.Sum().Should().Be(DatabaseMigrator.Scripts.Count);
        (await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")).Should().Be(DatabaseMigrator.Scripts.Count);
        (await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('inbox_messages', 'outbox_messages', 'dead_letters')")).Should().Be(3);
        (await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name IN ('job', 'jobqueue', 'server')"))
            .Should().Be(3, "Hangfire's storage is installed by the migrator, once");
        (await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz%'")).Should().Be(0);

        var again = await new DatabaseMigrator(dataSource, new MigrationState(), NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        again.Should().Be(0);
    }

    /// <summary>
    /// With MigrateOnStartup off (a pipeline's one-off migrate runs first, as compose and Kubernetes do), an instance
    /// waits for the schema, then becomes ready: it once stayed unready forever, having not migrated itself.
    /// </summary>
    [Fact]
    public async Task AnInstanceThatDoesNotMigrate_BecomesReadyOnceTheSchemaIsUpToDate()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var instance = new NotMigratingApp(database);
        await instance.InitializeAsync();
        using var client = instance.CreateClient();
        (await client.GetAsync("/api/v1/health/ready")).StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable, "nothing is migrated yet");

        await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
        {
            await new DatabaseMigrator(dataSource, new MigrationState(), NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        await Eventually.GetAsync(async () => (await client.GetAsync("/api/v1/health/ready")).StatusCode, s => s == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(30));
    }

    private sealed class NotMigratingApp(TestDatabase database) : WebhooksApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:Database:MigrateOnStartup"] = "false" };

        public override Task InitializeAsync() => StartOn(database);
    }
}
