using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Infrastructure.Persistence;

internal static class PersistenceServices
{
    /// <summary>PostgreSQL: the shared connection pool, the EF Core model, transactions and the migrations.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("Webhooks:Database").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration("Webhooks:Retention").ValidateDataAnnotations().ValidateOnStart();

        // Connection strings are read when first resolved (at start-up), so every configuration source —
        // including a test host's — is in place; a missing one stops start-up naming its key.
        services.AddSingleton(sp => PostgresDataSources.Build(sp, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.MaxPoolSize));

        services.AddDbContext<WebhooksDbContext>((sp, options) => options.UseNpgsql(
            sp.GetRequiredService<NpgsqlDataSource>(),
            npgsql => npgsql.EnableRetryOnFailure(3)));
        services.AddScoped<IWebhooksDbContext>(sp => sp.GetRequiredService<WebhooksDbContext>());
        services.AddScoped<IOutbox>(sp => sp.GetRequiredService<WebhooksDbContext>());
        services.AddScoped<Webhooks.Application.Admin.Audit.AdminActionContext>();
        // One lazily built DbContext per scope for the transaction's plumbing: every request passes the transaction
        // behaviour, and ingest, which commits through its own batching writer, should not build a DbContext it never touches.
        services.AddScoped(sp => new Lazy<WebhooksDbContext>(sp.GetRequiredService<WebhooksDbContext>));
        services.AddScoped(sp => new AfterCommitQueue(sp.GetRequiredService<Lazy<WebhooksDbContext>>()));
        services.AddScoped<IAfterCommit>(sp => sp.GetRequiredService<AfterCommitQueue>());
        services.AddScoped(sp => new TransactionRunner(
            sp.GetRequiredService<Lazy<WebhooksDbContext>>(), sp.GetRequiredService<AfterCommitQueue>(),
            sp.GetRequiredService<Webhooks.Application.Admin.Audit.AdminActionContext>(), sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<ITransactionRunner>(sp => sp.GetRequiredService<TransactionRunner>());

        services.AddSingleton<MigrationState>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<DatabaseMigrationService>();
        return services;
    }
}
