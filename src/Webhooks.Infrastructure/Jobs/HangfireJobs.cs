using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Jobs;

/// <summary>
/// Background work on Hangfire with PostgreSQL storage in the same database (schema "hangfire", installed by the
/// migrator under its advisory lock). One Hangfire server per instance on shared storage: each recurring job runs
/// once per schedule across instances, and a job whose server died is picked up by another. The relay is not a
/// Hangfire job (it keeps its retries on the outbox row and a one-second backoff): see docs/adr/0002.
/// </summary>
internal static class HangfireJobs
{
    public const string Schema = "hangfire";
    public const string DataSourceKey = "jobs";

    /// <summary>The product's jobs set their attempts themselves: nothing retries behind their back (process-wide, once).</summary>
    private static readonly Lazy<bool> NoAutomaticRetries = new(() =>
    {
        GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { Attempts = 0 });
        return true;
    });

    public static void AddJobs(IServiceCollection services, Func<IServiceProvider, int, string, NpgsqlDataSource> dataSource)
    {
        services.AddOptions<JobsOptions>().BindConfiguration("Webhooks:Jobs").ValidateDataAnnotations().ValidateOnStart();

        // A pool of its own: polling workers and the dashboard never take ingest's connections.
        services.AddKeyedSingleton(DataSourceKey, (sp, _) => dataSource(sp, 10, "webhooks-jobs"));
        // This instance's storage, resolved from DI by the server, the client, the recurring-job manager and the
        // dashboard — never Hangfire's process-wide JobStorage.Current, which several hosts in one process would share.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            return new PostgreSqlStorage(new DataSourceConnections(sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey)), new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = false, // DatabaseMigrator installs it, once, under its lock
                QueuePollInterval = options.QueuePollInterval,
                InvisibilityTimeout = options.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = true,
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
            });
        });
        services.AddHangfire((sp, config) => config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new StoppedHostTolerantLogs(new Hangfire.AspNetCore.AspNetCoreLogProvider(sp.GetRequiredService<ILoggerFactory>()))));
        _ = NoAutomaticRetries.Value;
        services.AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            server.WorkerCount = options.Workers;
            server.ServerName = $"webhooks:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
            server.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            server.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
        });
        services.AddHostedService<RecurringJobsRegistrar>();
        services.AddSingleton<IReplayJobScheduler, HangfireReplayScheduler>();
        services.AddSingleton<IJobsOverview, HangfireJobsOverview>();
        services.AddSingleton<IOutboxNotifier, OutboxNotifier>();
    }

    /// <summary>
    /// Hangfire's log provider is process-wide; when a host stops, its logger factory is disposed while another host in
    /// the same process (the tests run several) may still ask for loggers. Those get a silent one instead of an error.
    /// </summary>
    private sealed class StoppedHostTolerantLogs(Hangfire.Logging.ILogProvider inner) : Hangfire.Logging.ILogProvider
    {
        public Hangfire.Logging.ILog GetLogger(string name)
        {
            try
            {
                return inner.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return Silent.Instance;
            }
        }

        private sealed class Silent : Hangfire.Logging.ILog
        {
            public static readonly Silent Instance = new();

            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
        }
    }

    /// <summary>Hangfire.PostgreSql's connections come from the jobs' own pool.</summary>
    private sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}

/// <summary>Registers the recurring jobs once the schema is in place (every instance does; Hangfire keeps one copy).</summary>
internal sealed partial class RecurringJobsRegistrar(
    IRecurringJobManager recurring, MigrationState migrations, IOptions<JobsOptions> options, IOptions<Application.Admin.Alerts.AlertOptions> alerts,
    ILogger<RecurringJobsRegistrar> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!migrations.Applied)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
                recurring.AddOrUpdate<OutboxSweepJob>(OutboxSweepJob.Id, job => job.RunAsync(CancellationToken.None), options.Value.OutboxSweepCron, utc);
                recurring.AddOrUpdate<RetentionJob>(RetentionJob.Id, job => job.RunAsync(CancellationToken.None), options.Value.RetentionCron, utc);
                recurring.AddOrUpdate<Alerts.AlertEvaluationJob>(Alerts.AlertEvaluationJob.Id, job => job.RunAsync(CancellationToken.None), alerts.Value.Cron, utc);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRetrying(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the recurring jobs yet ({Reason}); retrying")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
