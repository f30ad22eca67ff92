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
}
